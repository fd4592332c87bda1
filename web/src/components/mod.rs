//! Components both apps show.

pub mod icons;
pub mod storage_banner;
pub mod update_banner;
