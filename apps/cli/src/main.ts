// The rcc command line (export / import / migrate) is built in its own issue.
process.stdout.write('rcc: not implemented yet\n');
