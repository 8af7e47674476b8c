// The build failed with every diagnostic of fraud.nn in the compiler's form, the path relative to
// the project, each logged as an error, and wrote nothing (not even fine.nn's class).
def log = new File(basedir, 'build.log').text
def expected = [
    "[ERROR] src/main/nn/com/acme/fraud.nn:7:18: error: unknown name 'hiden'",
    "[ERROR]     out  = dense(hiden, 1)",
    "[ERROR]                  ^",
    "[ERROR] src/main/nn/com/acme/fraud.nn:13:18: error: expected epochs to be a whole number from 1 to 1000000, found 0",
    "[ERROR]     epochs = 0",
    "[ERROR]              ^",
]
assert log.contains(expected.join('\n')) : log
assert log.contains('nnc: 2 errors in the .nn files of src/main/nn (see above)')
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/generated-sources/nnc').exists()
true
