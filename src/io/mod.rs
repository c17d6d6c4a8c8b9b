//! The only module that touches the disk: [`load`] reads inputs, [`write`] writes outputs
//! atomically, [`text`] decodes delimited text.
pub mod load;
pub mod text;
pub mod write;
