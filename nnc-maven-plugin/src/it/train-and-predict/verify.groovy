// Main trained Blobs and asked it about new points; the classes are where the spec puts them, the
// test model in the test sources alone, and no runtime sources were copied into the build.
def main = new File(basedir, 'target/generated-sources/nnc/com/acme/Blobs.java')
def test = new File(basedir, 'target/generated-test-sources/nnc/com/acme/testing/Line.java')
assert main.isFile()
assert main.text.startsWith('package com.acme;')
assert test.isFile()
assert new File(basedir, 'target/classes/com/acme/Blobs.class').isFile()
assert !new File(basedir, 'target/classes/com/acme/testing/Line.class').exists()
assert new File(basedir, 'target/test-classes/com/acme/testing/Line.class').isFile()
assert !new File(basedir, 'target/generated-sources/nnc/dev').exists()

def output = new File(basedir, 'target/main-output.txt').text
assert output.contains('epochs 20')
def accuracy = (output =~ /test accuracy ([0-9.]+) of 100/)
assert accuracy.find() && accuracy.group(1).toDouble() >= 0.95 : output

def log = new File(basedir, 'build.log').text
assert log.contains('nnc: compiled 1 of 1 .nn file in src/main/nn to target/generated-sources/nnc (1 class written, 0 unchanged)')
assert log.contains('nnc: compiled 1 of 1 .nn file in src/test/nn to target/generated-test-sources/nnc (1 class written, 0 unchanged)')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
true
