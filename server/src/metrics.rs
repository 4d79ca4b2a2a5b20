//! Prometheus metrics, one registry per server (no process-global state).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_latency: HistogramVec,
    pub events_delivered: IntCounter,
    pub slow_disconnects: IntCounter,
    pub ws_connections: IntGauge,
    pub users_online: IntGauge,
    pub db_connections: IntGauge,
    pub db_idle: IntGauge,
    pub posts_created: IntCounter,
    /// Images being decoded now, and the most at once since start.
    pub image_decodes: IntGauge,
    pub image_decodes_peak: IntGauge,
    pub images_too_large: IntCounter,
    pub presence_watched: IntGauge,
    pub presence_subscriptions: IntGauge,
    pub hub_commands_dropped: IntCounter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("hearth".into()), None).unwrap_or_default();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route pattern, method and status",
            ),
            &["method", "route", "status"],
        )
        .unwrap_or_else(|_| unreachable_metric());
        let http_latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route pattern",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )
        .unwrap_or_else(|_| unreachable_metric());
        let counter =
            |n: &str, h: &str| IntCounter::new(n, h).unwrap_or_else(|_| unreachable_metric());
        let gauge = |n: &str, h: &str| IntGauge::new(n, h).unwrap_or_else(|_| unreachable_metric());
        let m = Metrics {
            http_requests,
            http_latency,
            events_delivered: counter(
                "ws_events_delivered_total",
                "Events queued to WebSocket connections",
            ),
            slow_disconnects: counter(
                "ws_slow_disconnects_total",
                "Connections dropped because their queue was full",
            ),
            ws_connections: gauge("ws_connections", "Open WebSocket connections"),
            users_online: gauge("users_online", "Users with at least one connection"),
            db_connections: gauge("db_pool_connections", "Database connections in the pool"),
            db_idle: gauge("db_pool_idle", "Idle database connections in the pool"),
            posts_created: counter("posts_created_total", "Posts created"),
            image_decodes: gauge("image_decodes", "Images being decoded now"),
            image_decodes_peak: gauge(
                "image_decodes_peak",
                "Most images decoded at once since start (bounded by files.image_decodes)",
            ),
            images_too_large: counter(
                "images_too_large_total",
                "Images not decoded because they have more than files.max_image_pixels pixels",
            ),
            presence_watched: gauge(
                "presence_watched_users",
                "Users whose presence open connections watch",
            ),
            presence_subscriptions: gauge(
                "presence_subscriptions",
                "Presence subscriptions held by open connections",
            ),
            hub_commands_dropped: counter(
                "hub_commands_dropped_total",
                "Activity signals dropped because the hub's queue was full",
            ),
            registry,
        };
        let collectors: Vec<Box<dyn prometheus::core::Collector>> = vec![
            Box::new(m.http_requests.clone()),
            Box::new(m.http_latency.clone()),
            Box::new(m.events_delivered.clone()),
            Box::new(m.slow_disconnects.clone()),
            Box::new(m.ws_connections.clone()),
            Box::new(m.users_online.clone()),
            Box::new(m.db_connections.clone()),
            Box::new(m.db_idle.clone()),
            Box::new(m.posts_created.clone()),
            Box::new(m.image_decodes.clone()),
            Box::new(m.image_decodes_peak.clone()),
            Box::new(m.images_too_large.clone()),
            Box::new(m.presence_watched.clone()),
            Box::new(m.presence_subscriptions.clone()),
            Box::new(m.hub_commands_dropped.clone()),
        ];
        for c in collectors {
            if let Err(e) = m.registry.register(c) {
                tracing::error!(error = %e, "cannot register metric");
            }
        }
        m
    }

    /// The `method` label: one of a closed set, so made-up methods cannot
    /// add series.
    pub fn method_label(method: &actix_web::http::Method) -> &'static str {
        use actix_web::http::Method;
        match *method {
            Method::GET => "GET",
            Method::HEAD => "HEAD",
            Method::POST => "POST",
            Method::PUT => "PUT",
            Method::PATCH => "PATCH",
            Method::DELETE => "DELETE",
            Method::OPTIONS => "OPTIONS",
            _ => "other",
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            tracing::error!(error = %e, "cannot encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Metric names and label sets above are constants that always validate; this
/// only exists so construction needs no `unwrap`.
fn unreachable_metric<T>() -> T {
    panic!("invalid metric definition")
}
