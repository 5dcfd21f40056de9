#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build or refresh build/linux: a pristine kernel base plus our series.

The series is patches/NN-slug/, in name order, one commit each:
  message   the commit message (subject, blank line, body)
  files     repo paths, one per line, copied to the same path in the tree
  *.patch   diffs against kernel files, applied with `git apply`
  cocci     "<semantic patch> <dir>" per line: a conversion, made by
            `make coccicheck MODE=patch` in the tree and applied; driver
            code converted this way is never stored in the repo

Each commit's inputs are hashed together with everything before it.  On a
re-run, commits whose hash still matches are kept and the tree is reset to
the last good one, so an edit costs seconds.  A tree without the base tag,
from another base, or with stray changes is rebuilt, never used as is.

The repo's kernel paths hold exactly what the series adds: a tracked file
outside the project's own top-level entries (WORKSHOP) that no commit
claims stops the build.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile

REPO = os.environ['REPO']   # REPO, TREE and KDIR come from the Makefile
PATCHES = os.path.join(REPO, 'patches')
TARBALL = '/usr/src/linux-source-6.12.tar.xz'
BASE_TAG = 'dma_sg-base'
STATE = 'dma_sg-series'   # in .git: "<commit> <input hash>" per line
# Everything else in the repo is a kernel path.
WORKSHOP = {'.ci', '.gitignore', 'Makefile', 'README.md', 'patches',
            'tooling'}
AUTHOR = ['-c', 'user.name=dma_sg developers',
          '-c', 'user.email=dma_sg@example.org']


def git(tree, *args, capture=False, check=True):
    cmd = ['git', '-C', tree] + AUTHOR + list(args)
    if capture:
        return subprocess.run(cmd, check=check, capture_output=True,
                              text=True).stdout.strip()
    return subprocess.run(cmd, check=check, stdout=subprocess.DEVNULL)


def base_id(kdir):
    if kdir:
        head = subprocess.run(['git', '-C', kdir, 'rev-parse', 'HEAD'],
                              capture_output=True, text=True).stdout.strip()
        return 'kdir:%s:%s' % (os.path.realpath(kdir), head or 'nogit')
    st = os.stat(TARBALL)
    return 'tarball:%s:%d:%d' % (TARBALL, st.st_size, int(st.st_mtime))


def series():
    """Return [(name, message, files, patches, hash)], hashes chained."""
    out, h = [], hashlib.sha256()
    # Bump when the way commits are made changes (e.g. sign-off), so that
    # trees built the old way are re-applied.
    h.update(b'dma_sg tree format 2\0')
    for name in sorted(os.listdir(PATCHES)):
        d = os.path.join(PATCHES, name)
        if not os.path.isdir(d):
            continue
        with open(os.path.join(d, 'message')) as f:
            msg = f.read()
        files = []
        if os.path.exists(os.path.join(d, 'files')):
            with open(os.path.join(d, 'files')) as f:
                files = [l.strip() for l in f
                         if l.strip() and not l.startswith('#')]
        patches = sorted(p for p in os.listdir(d) if p.endswith('.patch'))
        cocci = []
        if os.path.exists(os.path.join(d, 'cocci')):
            with open(os.path.join(d, 'cocci')) as f:
                cocci = [l.split() for l in f
                         if l.strip() and not l.startswith('#')]
            h.update(spatch_version().encode())
            for sp, where in cocci:
                h.update(('%s %s\0' % (sp, where)).encode())
        h.update(name.encode() + b'\0' + msg.encode())
        for path in files:
            with open(os.path.join(REPO, path), 'rb') as f:
                h.update(path.encode() + b'\0' + f.read())
        for p in patches:
            with open(os.path.join(d, p), 'rb') as f:
                h.update(p.encode() + b'\0' + f.read())
        out.append((name, msg, files, [os.path.join(d, p) for p in patches],
                    cocci, h.hexdigest()))
    seen = {}
    for name, _, files, _, _, _ in out:
        for path in files:
            if path in seen:
                sys.exit('tree: %s is in both %s and %s' %
                         (path, seen[path], name))
            seen[path] = name
    return out


def check_layout(wanted):
    """Fail on a tracked file under a kernel path that no commit claims."""
    r = subprocess.run(['git', '-C', REPO, 'ls-files', '-z'],
                       capture_output=True, text=True)
    if r.returncode:
        print('tree: %s is not a git checkout; layout not checked' % REPO)
        return
    claimed = {path for _, _, files, _, _, _ in wanted for path in files}
    stray = [p for p in r.stdout.split('\0') if p and
             p.split('/')[0] not in WORKSHOP and p not in claimed and
             os.path.exists(os.path.join(REPO, p))]
    if stray:
        sys.exit('tree: under a kernel path but in no patches/*/files list '
                 '(claim it there, or move it to tooling/):\n  ' +
                 '\n  '.join(sorted(stray)))


def extract(tree, kdir, bid):
    print('tree: preparing a pristine base in %s' % tree, flush=True)
    if os.path.exists(tree):
        shutil.rmtree(tree)
    tmp = tree + '.tmp'
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    if kdir:
        subprocess.run(['rsync', '-a', '--exclude=.git', kdir.rstrip('/') + '/',
                        tmp + '/'], check=True)
    else:
        subprocess.run(['tar', '-xf', TARBALL, '-C', tmp,
                        '--strip-components=1'], check=True)
    subprocess.run(['git', 'init', '-q', tmp], check=True)
    git(tmp, 'config', 'core.autocrlf', 'false')
    git(tmp, 'add', '-A', '-f')
    version = subprocess.run(['make', '-s', '-C', tmp, 'kernelversion'],
                             capture_output=True, text=True).stdout.strip()
    git(tmp, 'commit', '-q', '-m', 'Linux %s\n\nPristine base: %s' %
        (version, bid))
    # The tag is written last: a tree without it was never finished.
    git(tmp, 'tag', BASE_TAG)
    with open(os.path.join(tmp, '.git', 'dma_sg-base-id'), 'w') as f:
        f.write(bid + '\n')
    os.rename(tmp, tree)


def tree_usable(tree, bid):
    gitdir = os.path.join(tree, '.git')
    try:
        with open(os.path.join(gitdir, 'dma_sg-base-id')) as f:
            if f.read().strip() != bid:
                return False
    except OSError:
        return False
    return git(tree, 'rev-parse', '-q', '--verify', BASE_TAG,
               capture=True, check=False) != ''


def read_state(tree):
    try:
        with open(os.path.join(tree, '.git', STATE)) as f:
            return [l.split() for l in f if l.strip()]
    except OSError:
        return []


def spatch_version():
    r = subprocess.run(['spatch', '--version'], capture_output=True,
                       text=True)
    return r.stdout.splitlines()[0] if r.returncode == 0 else 'no spatch'


def convert(tree, sp, where):
    """Run one semantic patch over a directory of the tree; return how."""
    cmd = ['make', '-s', '-C', tree, 'coccicheck', 'MODE=patch',
           'COCCI=' + sp, 'M=' + where, 'J=%d' % (os.cpu_count() or 1)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    lines = r.stdout.splitlines(keepends=True)
    start = next((i for i, l in enumerate(lines) if l.startswith('diff ')),
                 None)
    if r.returncode or start is None:
        sys.exit('tree: %s changed nothing in %s (exit %d):\n%s' %
                 (sp, where, r.returncode, r.stderr[-2000:]))
    diff = ''.join(l for l in lines[start:]
                   if l[:1] in ('d', '-', '+', ' ', '@'))
    a = subprocess.run(['git', '-C', tree, 'apply', '--index', '-p1', '-'],
                       input=diff, capture_output=True, text=True)
    if a.returncode:
        sys.exit('tree: the output of %s does not apply:\n%s' %
                 (sp, a.stderr))
    return 'make coccicheck MODE=patch M=%s \\\n    COCCI=%s' % (where, sp)


def copy_file(src, dst):
    """Copy a repo file into the tree, stamped now unless unchanged.

    The repo file's own mtime would be wrong: a file edited while a build
    of an earlier copy ran is older than that build's objects, and make
    would keep them.  An unchanged file keeps its mtime, so make rebuilds
    nothing for it.
    """
    with open(src, 'rb') as f:
        data = f.read()
    try:
        with open(dst, 'rb') as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'wb') as f:
        f.write(data)
    shutil.copymode(src, dst)


def apply_commit(tree, name, msg, files, patches, cocci):
    for path in files:
        copy_file(os.path.join(REPO, path), os.path.join(tree, path))
    for p in patches:
        r = subprocess.run(['git', '-C', tree, 'apply', '--index', p],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit('tree: %s does not apply:\n%s' % (p, r.stderr))
    if files:
        git(tree, 'add', '-f', '--', *files)
    if cocci:
        how = [convert(tree, sp, where) for sp, where in cocci]
        msg = msg.rstrip('\n') + '\n\nGenerated with:\n' + ''.join(
            '  %s\n' % c for c in how) + 'using %s.\n' % spatch_version()
    subprocess.run(['git', '-C', tree] + AUTHOR + ['commit', '-q', '-s', '-F', '-'],
                   input=msg, text=True, check=True, stdout=subprocess.DEVNULL)
    return git(tree, 'rev-parse', 'HEAD', capture=True)


def main():
    tree = os.path.abspath(os.environ['TREE'])
    wanted = series()
    check_layout(wanted)
    kdir = os.environ.get('KDIR') or None
    bid = base_id(kdir)
    if not tree_usable(tree, bid):
        extract(tree, kdir, bid)
        state = []
    else:
        state = read_state(tree)
        dirty = git(tree, 'status', '--porcelain', '--untracked-files=all',
                    capture=True)
        if dirty:
            print('tree: stray changes in %s, resetting them' % tree)
            state = []

    commits = git(tree, 'rev-list', '--reverse', BASE_TAG + '..HEAD',
                  capture=True).split()
    keep = 0
    while (keep < len(wanted) and keep < len(state) and
           keep < len(commits) and state[keep][0] == commits[keep] and
           state[keep][1] == wanted[keep][5]):
        keep += 1
    target = commits[keep - 1] if keep else BASE_TAG
    git(tree, 'reset', '-q', '--hard', target)
    git(tree, 'clean', '-q', '-fdx')
    new_state = state[:keep]
    for name, msg, files, patches, cocci, h in wanted[keep:]:
        print('tree: applying %s' % name, flush=True)
        new_state.append([apply_commit(tree, name, msg, files, patches,
                                       cocci), h])
        write_state(tree, new_state)
    # Rewritten only on change: make rebuilds kernels by its date.
    if new_state != state or not os.path.exists(
            os.path.join(tree, '.git', STATE)):
        write_state(tree, new_state)
    print('tree: %s is at %d commit(s) on top of the base (%d reused)' %
          (tree, len(new_state), keep))


def write_state(tree, state):
    with open(os.path.join(tree, '.git', STATE), 'w') as f:
        f.writelines('%s %s\n' % (c, h) for c, h in state)


if __name__ == '__main__':
    main()
