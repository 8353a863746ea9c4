"""Both upload stores keep the same promises: a folder of this machine, and an S3 bucket (against
a local S3 server)."""

from __future__ import annotations

import pytest

from tests.state.machines import bucket_keys
from webapp.storage import LocalFolder, S3Bucket, StorageUnavailable


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    if request.param == "folder":
        return LocalFolder(tmp_path / "uploads")
    config = request.getfixturevalue("s3_config")
    return S3Bucket(config["UPLOAD_S3_BUCKET"], config["UPLOAD_S3_ENDPOINT_URL"], "uploads/")


def test_what_is_stored_is_read_back_until_deleted(store):
    store.put_new("a.png", b"\x89PNG one", "image/png")
    assert store.read("a.png") == b"\x89PNG one"
    store.delete("a.png")
    assert store.read("a.png") is None
    store.delete("a.png")  # deleting what is not there is no error


def test_a_new_file_never_replaces_one_already_there(store):
    store.put_new("a.png", b"first", "image/png")
    with pytest.raises(FileExistsError):
        store.put_new("a.png", b"second", "image/png")
    assert store.read("a.png") == b"first"


def test_a_record_is_replaced_whole(store):
    store.put("by-certificate/cert-1", b"https://example.com/one.png", "text/plain")
    store.put("by-certificate/cert-1", b"https://example.com/two.png", "text/plain")
    assert store.read("by-certificate/cert-1") == b"https://example.com/two.png"
    assert store.read("by-certificate/cert-2") is None


@pytest.mark.parametrize("name", ["../secret_key", "/etc/passwd", ".hidden", "a/../b", "", "a/b/c"])
def test_names_that_could_leave_the_store_are_refused(store, name):
    with pytest.raises(ValueError):
        store.read(name)
    with pytest.raises(ValueError):
        store.put_new(name, b"x", "image/png")


def test_the_local_folder_holds_plain_files(tmp_path):
    LocalFolder(tmp_path).put("by-certificate/cert-1", b"link", "text/plain")
    assert (tmp_path / "by-certificate" / "cert-1").read_bytes() == b"link"
    assert [p.name for p in (tmp_path / "by-certificate").iterdir()] == ["cert-1"]


def test_s3_keys_live_under_the_prefix(s3_config):
    store = S3Bucket(s3_config["UPLOAD_S3_BUCKET"], s3_config["UPLOAD_S3_ENDPOINT_URL"], "atrium")
    store.put_new("a.png", b"x", "image/png")
    store.put("by-certificate/cert-1", b"link", "text/plain")
    assert bucket_keys(s3_config) == ["atrium/a.png", "atrium/by-certificate/cert-1"]


def test_an_unreachable_bucket_is_unavailable_not_missing(s3_config):
    store = S3Bucket("atrium-no-such-bucket", s3_config["UPLOAD_S3_ENDPOINT_URL"])
    with pytest.raises(StorageUnavailable):
        store.read("a.png")
    nowhere = S3Bucket(s3_config["UPLOAD_S3_BUCKET"], "http://127.0.0.1:9")
    with pytest.raises(StorageUnavailable):
        nowhere.read("a.png")
