//! What the parents' app and the school's Beheer share in the browser: storage and the records'
//! one save path, the texts, dates, the clock, HTTP to the school's server, the school's link,
//! browser bridges, the service worker, and a few components. It knows neither app: the parents'
//! app and Beheer each depend on it, and never on each other.

pub mod browser;
pub mod clock;
pub mod components;
pub mod dates;
pub mod http;
pub mod i18n;
pub mod labels;
pub mod link;
pub mod state;
pub mod storage;
pub mod sw;
