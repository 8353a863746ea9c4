"""Serving Atrium in production: probes, metrics, gunicorn, proxies."""
