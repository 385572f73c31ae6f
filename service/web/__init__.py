"""The public portal and regulator pages: Jinja2 templates, static assets, i18n, SVG charts.

Everything here is served by the service itself (no CDN): the registry must work on a
network with no internet access.
"""
