#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Write the series in build/linux out as mail-ready patches with a cover
# letter, then hold every patch to checkpatch --strict.
set -e
# checkpatch runs spdxcheck.py with the first python3 on PATH; Debian's
# has the python3-ply and python3-git that deps.sh installs.
export PATH=/usr/bin:$PATH
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
OUT=$OUT/series
COVER=$REPO/patches/cover-letter

rm -rf "$OUT"
n=$(git -C "$TREE" rev-list --count dma_sg-base..HEAD)
git -C "$TREE" format-patch -q --cover-letter --subject-prefix="RFC PATCH" \
	-o "$OUT" dma_sg-base..HEAD
cover=$(ls "$OUT"/0000-*.patch)
# The cover letter's first line is its subject; the rest is its body.
python3 - "$cover" "$COVER" <<'PY'
import sys
cover, src = sys.argv[1], sys.argv[2]
text = open(cover).read()
subject, _, body = open(src).read().partition('\n')
text = text.replace('*** SUBJECT HERE ***', subject.strip())
text = text.replace('*** BLURB HERE ***', body.strip())
open(cover, 'w').write(text)
PY
status=0
for p in "$OUT"/0*.patch; do
	case $p in */0000-*) continue;; esac
	# FILE_PATH_CHANGES asks for MAINTAINERS in every patch that adds a
	# file; the series has one MAINTAINERS patch covering them all.
	( cd "$TREE" && ./scripts/checkpatch.pl --strict --quiet \
		--ignore FILE_PATH_CHANGES "$p" ) ||
		{ echo "series: checkpatch complains about $(basename "$p")"; status=1; }
done
echo "series: $n patches and a cover letter in $OUT"
exit $status
