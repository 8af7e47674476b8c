// After build 1: the three classes are there; note each file's time and text for the later builds.
def out = new File(basedir, 'target/generated-sources/nnc/com/acme')
def files = ['Kept.java', 'Changed.java', 'Gone.java'].collect { new File(out, it) }
files.each { assert it.isFile() : it }
def state = new File(basedir, 'target/nnc-state/generate-default.txt')
assert state.isFile()
context.put('after1', (files + state).collectEntries { [(it.name): [it.lastModified(), it.text]] })
true
