#!/bin/bash
# Entry point of the `test` service of docker-compose.yml: add what the tests
# need to the odoo:18 image (Ubuntu noble), then run tools/run-tests against the
# db service. Arguments are passed on: docker compose run --rm test -- -k portal
set -euo pipefail

# Noble's chromium package is only a snap stub, unusable in a container: take
# Google Chrome's .deb instead (published for amd64 only).
if ! command -v google-chrome >/dev/null; then
    apt-get update
    curl -fsSL -o /tmp/google-chrome.deb \
        https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb
    apt-get install -y --no-install-recommends /tmp/google-chrome.deb
    rm -f /tmp/google-chrome.deb
fi

# The image's Python is Debian's (PEP 668): pip needs the flag to add packages.
pip install --quiet --break-system-packages \
    -r /repo/requirements.txt -r /repo/requirements-dev.txt

exec /repo/tools/run-tests "$@"
