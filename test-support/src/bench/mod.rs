//! What the benches (`benches/preview`, `benches/soak`) share: which mock library they load
//! ([`mock_lib`]) and the only bench code that touches the queue's consumer API
//! ([`queue_api`]). Feature `safe`.

pub mod mock_lib;
pub mod queue_api;
