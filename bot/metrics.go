package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot"
)

type metrics struct {
	messages     *prometheus.CounterVec
	decisions    *prometheus.CounterVec
	feedback     *prometheus.CounterVec
	retrieval    prometheus.Histogram
	reply        *prometheus.HistogramVec
	llmFallbacks prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_messages_total",
			Help: "Messages handled, by channel and reply language."}, []string{"channel", "lang"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_decisions_total",
			Help: "Decisions taken, by decision (answer, clarify, escalate, ...) and reason."}, []string{"decision", "reason"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_feedback_total",
			Help: "Answer ratings, by helpful=true|false."}, []string{"helpful"}),
		retrieval: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "supportbot_retrieval_seconds",
			Help: "Retrieval latency.", Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12)}),
		reply: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "supportbot_reply_seconds",
			Help: "Time to handle a message, by channel.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 14)}, []string{"channel"}),
		llmFallbacks: prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_llm_fallbacks_total",
			Help: "LLM answers that failed or timed out and were replaced by extractive answers."}),
	}
	if reg != nil {
		reg.MustRegister(m.messages, m.decisions, m.feedback, m.retrieval, m.reply, m.llmFallbacks)
	}
	return m
}

func (m *metrics) observe(channel string, r supportbot.Reply, d time.Duration) {
	m.messages.WithLabelValues(channel, r.Lang).Inc()
	m.decisions.WithLabelValues(string(r.Decision), r.Reason).Inc()
	m.reply.WithLabelValues(channel).Observe(d.Seconds())
}
