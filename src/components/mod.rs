//! Components shared by the screens.

pub mod icons;
pub mod nav;
pub mod update_banner;
