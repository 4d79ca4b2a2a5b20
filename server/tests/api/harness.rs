//! The test kit, under the name these tests have always used for it.

pub use hearth_testkit::{
    Backend, EVENT_WAIT, TestServer, audit_actions, expect_event, my_channel, test_config,
};
