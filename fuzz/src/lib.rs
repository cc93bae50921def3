//! Support for jsontape's fuzz targets (`fuzz_targets/`): the oracles each
//! target runs. See README.md.

pub mod oracles;
