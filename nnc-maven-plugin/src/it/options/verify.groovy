// Each execution wrote its classes where its parameters say, and the excluded draft was not read.
def target = new File(basedir, 'target')
def nnc = new File(target, 'generated-sources/nnc')
def listed = []
nnc.eachFileRecurse(groovy.io.FileType.FILES) { listed << nnc.toPath().relativize(it.toPath()).toString() }
assert listed.sort() == ['com/acme/Rings.java', 'org/example/fraud/FraudScore.java'] : listed
assert new File(target, 'generated-sources/models/shared/Tiny.java').isFile()
['com/acme/Main.class', 'com/acme/Rings.class', 'org/example/fraud/FraudScore.class', 'shared/Tiny.class'].each {
    assert new File(target, 'classes/' + it).isFile() : it
}
assert !new File(target, 'generated-test-sources').exists()

def log = new File(basedir, 'build.log').text
assert log.contains('nnc: no .nn files to compile, src/test/nn does not exist')
assert log.contains("<packageName>: 'org.example.1fraud' is not a Java package name")
true
