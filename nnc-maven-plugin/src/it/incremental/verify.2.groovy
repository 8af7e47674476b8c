// After build 2, which had nothing to do: no file written again, its time and text as build 1 left them.
def out = new File(basedir, 'target/generated-sources/nnc/com/acme')
def files = ['Kept.java', 'Changed.java', 'Gone.java'].collect { new File(out, it) }
def state = new File(basedir, 'target/nnc-state/generate-default.txt')
def after1 = context.get('after1')
(files + state).each { f ->
    assert after1[f.name] == [f.lastModified(), f.text] : "build 2 wrote ${f} again"
}
assert new File(basedir, 'build.log').text.contains('nnc: 3 .nn files in src/main/nn, all up to date')
true
