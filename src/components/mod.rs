//! Components shared by the screens.

pub mod children;
pub mod growing;
pub mod icons;
pub mod nav;
pub mod storage_banner;
pub mod update_banner;
