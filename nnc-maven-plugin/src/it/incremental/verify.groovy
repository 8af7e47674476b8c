// After build 3: Changed.java written again with the new model, Gone.java deleted, Kept.java untouched.
def out = new File(basedir, 'target/generated-sources/nnc/com/acme')
def after1 = context.get('after1')
def kept = new File(out, 'Kept.java')
def changed = new File(out, 'Changed.java')
assert after1['Kept.java'] == [kept.lastModified(), kept.text] : 'build 3 wrote Kept.java again'
assert changed.text != after1['Changed.java'][1]
assert changed.lastModified() > after1['Changed.java'][0]
assert !new File(out, 'Gone.java').exists()
assert out.list().sort() == ['Changed.java', 'Kept.java']
def log = new File(basedir, 'build.log').text
assert log.contains('nnc: deleted target/generated-sources/nnc/com/acme/Gone.java, whose model is gone')
assert log.contains('nnc: compiled 1 of 2 .nn files in src/main/nn to target/generated-sources/nnc (1 class written, 0 unchanged)')
true
