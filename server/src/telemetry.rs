//! Per-request tracing span, request metrics and the fallback 404.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use hearth_api::ErrorCode;
use tracing::Instrument;

use crate::error::error_response;
use crate::state::Ctx;

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let method_label = crate::metrics::Metrics::method_label(req.method());
    let metrics = req.app_data::<web::Data<Ctx>>().map(|c| c.metrics.clone());
    let request_id = hearth_core::new_id().simple().to_string();
    let span = tracing::info_span!("request", id = %request_id, %method, route = %route);
    let res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    if let Some(m) = metrics {
        m.http_requests
            .with_label_values(&[method_label, route.as_str(), &status.to_string()])
            .inc();
        m.http_latency
            .with_label_values(&[route.as_str()])
            .observe(elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, ms = elapsed.as_millis() as u64, "request failed");
        } else {
            tracing::debug!(status, ms = elapsed.as_millis() as u64, "request");
        }
    });
    Ok(res)
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    error_response(
        ErrorCode::NotFound,
        format!("no route {} {}", req.method(), req.path()),
    )
}
