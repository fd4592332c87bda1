//! Driehoek's client: a Leptos (client-side rendered) app for parents of primary-school children.

pub mod app;
pub mod beheer;
pub mod browser;
pub mod components;
pub mod content;
pub mod dates;
pub mod i18n;
pub mod pages;
pub mod records;
pub mod state;
pub mod storage;
pub mod sw;
pub mod sync;
