//! The only module that touches the disk: [`spec`] says how to read an input (the one set of
//! input rules), [`file`] reads an input's bytes, [`load`] reads inputs, [`write`] writes outputs atomically, [`text`] decodes
//! delimited text.
pub mod file;
pub mod load;
pub mod numbers;
mod parquet;
pub mod prepared;
pub mod spec;
pub mod text;
pub mod write;

pub use spec::{Delimiter, Encoding, Format, InputParams, ValidInput};
