//! Components shared by the parents' screens (a screen never imports another screen).

pub mod absence;
pub mod agreement_banner;
pub mod children;
pub mod growing;
pub mod kind_icon;
pub mod nav;
pub mod text;
