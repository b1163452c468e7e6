//! `generate`: TypeScript types of derivations, and stubs of missing modules, migrations and lambdas.
