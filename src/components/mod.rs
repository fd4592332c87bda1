//! Components shared by the parents' screens (a screen never imports another screen).

pub mod absence;
pub mod agreement_banner;
pub mod children;
pub mod disclosure;
pub mod growing;
pub mod join_family;
pub mod kind_icon;
pub mod language;
pub mod nav;
pub mod qr;
pub mod sync_banner;
pub mod text;
pub mod upcoming;
