package escalation

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are escalation's Prometheus metrics. Counters are kept in
// memory; the queue's state (open tickets, breached SLAs, pending
// deliveries) is read from the database at scrape time, so it is right
// with several replicas and after restarts.
type metrics struct {
	opened     *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	actions    *prometheus.CounterVec
}

func newMetrics() *metrics {
	return &metrics{
		opened: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "supportbot", Subsystem: "escalation", Name: "tickets_opened_total",
			Help: "Tickets opened, by escalation reason and priority.",
		}, []string{"reason", "priority"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "supportbot", Subsystem: "escalation", Name: "delivery_attempts_total",
			Help: "Outbox delivery attempts, by kind (channel, webhook) and result (delivered, retry, failed).",
		}, []string{"kind", "result"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "supportbot", Subsystem: "escalation", Name: "account_actions_total",
			Help: "Calls to the operator's account endpoint, by action and outcome (done, failed, refused).",
		}, []string{"action", "status"}),
	}
}

var (
	descOpen = prometheus.NewDesc("supportbot_escalation_open_tickets",
		"Tickets that are not solved or closed, by status and priority.", []string{"status", "priority"}, nil)
	descBreached = prometheus.NewDesc("supportbot_escalation_sla_breached_tickets",
		"Open tickets past their first-response or resolution target.", nil, nil)
	descPending = prometheus.NewDesc("supportbot_escalation_outbox_pending",
		"Replies, notices and webhooks waiting to be delivered, by kind.", []string{"kind"}, nil)
)

// stateCollector reads the queue's state from the database.
type stateCollector struct{ s *Service }

// Describe implements prometheus.Collector.
func (c stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descOpen
	ch <- descBreached
	ch <- descPending
}

// Collect implements prometheus.Collector; a metric whose query fails is
// left out of the scrape rather than reported as zero.
func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db := c.s.db
	if rows, err := db.Query(ctx, `SELECT status, priority, COUNT(*) FROM esc_tickets
		WHERE status NOT IN ('solved', 'closed') GROUP BY status, priority`); err == nil {
		for rows.Next() {
			var st, p string
			var n float64
			if rows.Scan(&st, &p, &n) == nil {
				ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, n, st, p)
			}
		}
		rows.Close()
	}
	now := c.s.now().UnixMilli()
	var breached float64
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM esc_tickets WHERE `+breachedSQL, now, now).Scan(&breached); err == nil {
		ch <- prometheus.MustNewConstMetric(descBreached, prometheus.GaugeValue, breached)
	}
	for _, kind := range []string{outboxChannel, outboxWebhook} {
		var n float64
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM esc_outbox WHERE status = ? AND kind = ?`, DeliveryPending, kind).Scan(&n); err == nil {
			ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, n, kind)
		}
	}
}

// RegisterMetrics registers escalation's metrics with reg.
func (s *Service) RegisterMetrics(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{s.metrics.opened, s.metrics.deliveries, s.metrics.actions, stateCollector{s}} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
