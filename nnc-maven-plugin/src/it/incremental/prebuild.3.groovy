// Before build 3: one model changes (its class must change: the epochs are in it), one goes.
def changed = new File(basedir, 'src/main/nn/com/acme/changed.nn')
changed.text = changed.text.replace('epochs = 5', 'epochs = 9')
assert new File(basedir, 'src/main/nn/com/acme/gone.nn').delete()
true
