package webchat

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are web chat's HTTP-layer metrics. The engine records messages,
// decisions and answer latency itself; these say how the edge behaves.
type metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rateLimited *prometheus.CounterVec
	inflight    prometheus.Gauge
	live        prometheus.Gauge
	firstByte   prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "http_requests_total",
			Help: "HTTP requests served by web chat, by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "http_request_duration_seconds",
			Help:    "Time to serve a web chat HTTP request, by route (streamed replies until their end).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "rate_limited_total",
			Help: "Requests refused by a rate limit, by limit (ip, visitor, session).",
		}, []string{"limit"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "replies_in_flight",
			Help: "Messages the engine is answering right now.",
		}),
		live: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "live_connections",
			Help: "Open WebSocket connections receiving live pushes.",
		}),
		firstByte: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "supportbot", Subsystem: "webchat", Name: "reply_first_delta_seconds",
			Help:    "Time from a message's arrival to the first streamed text of its reply.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 30},
		}),
	}
	if reg != nil {
		m.requests = register(reg, m.requests)
		m.duration = register(reg, m.duration)
		m.rateLimited = register(reg, m.rateLimited)
		m.inflight = register(reg, m.inflight)
		m.live = register(reg, m.live)
		m.firstByte = register(reg, m.firstByte)
	}
	return m
}

// register registers c, or returns the collector registered before it
// under the same name: a second Server on one registry (tests, a restart in
// process) shares the first one's series instead of failing.
func register[T prometheus.Collector](reg prometheus.Registerer, c T) T {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if old, ok := are.ExistingCollector.(T); ok {
				return old
			}
		}
	}
	return c
}

// statusWriter records the status code for metrics and passes Flush and
// Hijack through via Unwrap (http.ResponseController finds them).
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument wraps a route's handler with the request metrics.
func (m *metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
