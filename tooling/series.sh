#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Write the series in build/linux out as mail-ready patches with a cover
# letter, then hold every patch to checkpatch --strict.
set -e
# checkpatch runs spdxcheck.py with the first python3 on PATH; Debian's
# has the python3-ply and python3-git that deps.sh installs.  ccache's
# compiler names stay first.
export PATH=/usr/lib/ccache:/usr/bin:$PATH
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
COVER=$REPO/patches/cover-letter
. "$REPO/tooling/stamp.sh"
[ -d "$OUT/series" ] || rm -f "$OUT/series.stamp"
stamp_skip series "$REPO/tooling/series.sh" "$COVER"
OUT=$OUT/series

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
# One checkpatch per CPU.  FILE_PATH_CHANGES asks for MAINTAINERS in
# every patch that adds a file; the series has one MAINTAINERS patch
# covering them all.
status=0
ls "$OUT"/0*.patch | grep -v '/0000-' |
	xargs -P "$(nproc)" -I{} sh -c 'cd "$0" &&
		./scripts/checkpatch.pl --strict --quiet \
			--ignore FILE_PATH_CHANGES "$1" ||
		{ echo "series: checkpatch complains about ${1##*/}"; exit 1; }' \
		"$TREE" {} || status=1
echo "series: $n patches and a cover letter in $OUT"
[ "$status" -ne 0 ] || stamp_pass
exit $status
