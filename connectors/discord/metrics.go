package discord

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the connector's Prometheus metrics (supportbot_discord_*):
// what came in, what went out, and how the connection to Discord fares.
type metrics struct {
	received   *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	rateLimits *prometheus.CounterVec
	gateway    *prometheus.CounterVec
	backfilled prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	opts := func(name, help string) prometheus.CounterOpts {
		return prometheus.CounterOpts{Namespace: "supportbot", Subsystem: "discord", Name: name, Help: help}
	}
	m := &metrics{
		received: prometheus.NewCounterVec(opts("received_total",
			"Messages and interactions taken for handling, by kind (message, command, button)."), []string{"kind"}),
		deliveries: prometheus.NewCounterVec(opts("messages_sent_total",
			"Messages posted to Discord, by result (ok, error)."), []string{"result"}),
		rateLimits: prometheus.NewCounterVec(opts("rate_limits_total",
			"429 responses from Discord's REST API, by scope (route, global)."), []string{"scope"}),
		gateway: prometheus.NewCounterVec(opts("gateway_events_total",
			"Gateway session events: ready (new session), resumed, disconnected."), []string{"event"}),
		backfilled: prometheus.NewCounter(opts("backfilled_total",
			"Messages missed by the gateway and read back from history.")),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.received, m.deliveries, m.rateLimits, m.gateway, m.backfilled} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("discord: register metrics: %w", err)
		}
	}
	return m, nil
}
