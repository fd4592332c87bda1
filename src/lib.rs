//! Driehoek's client for parents: a Leptos (client-side rendered) app for parents of
//! primary-school children. What it shares with the school's Beheer is in `driehoek-web`; it
//! never depends on Beheer.

pub mod app;
pub mod components;
pub mod content;
pub mod pages;
pub mod records;
pub mod state;
pub mod sync;
pub mod talks;
