#!/bin/sh
# Publishes Output/site/ to a plain web server over SSH (rsync), e.g. from a CI job or by hand after `tandem build`.
# Usage: deploy-rsync.sh user@www.example.ch /var/www/mentoring
# The trailing slash of Output/site/ matters: the folder's content goes to the target, not the folder itself.
# --delete removes pages that no longer exist (a participant who withdrew consent disappears from the server too).
# Only site/ is sent: Output/mail/ and Output/internal/ hold personal data and never go to a web server.
set -eu
host=$1
target=$2
tandem check --strict
tandem build
rsync -rlt --delete --chmod=D755,F644 Output/site/ "$host:$target/"
