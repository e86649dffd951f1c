#!/bin/sh
# The weight of the browse pages of a built site (issue 10: ≤ 100 KB gzipped at 5,000 modules).
#
#   sh bench/browse-weight.sh SITE [LANG]
#
# Prints raw and gzipped (gzip -6) bytes of the first browse page, the largest one, the filter
# data every filter loads (browse/facets.js) and one chunk of filter results (browse/p-0.js, 25 modules).
set -eu
site=${1:?usage: browse-weight.sh SITE [LANG]}
lang=${2:-en}
size() { printf '%-40s %9d bytes %8d gzipped\n' "$1" "$(wc -c < "$site/$1")" "$(gzip -6 -c "$site/$1" | wc -c)"; }
pages=$(ls "$site/$lang"/modules.html "$site/$lang"/modules-*.html 2>/dev/null | wc -l)
largest=$(ls -S "$site/$lang"/modules.html "$site/$lang"/modules-*.html 2>/dev/null | head -1)
echo "$pages browse pages in $lang"
size "$lang/modules.html"
size "$lang/${largest##*/}"
size "$lang/browse/facets.js"
size "$lang/browse/p-0.js"
