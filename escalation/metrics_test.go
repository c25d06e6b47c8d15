package escalation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{})
	reg := prometheus.NewRegistry()
	if err := e.svc.RegisterMetrics(reg); err != nil {
		t.Fatal(err)
	}
	e.channels["webchat"] = &recChannel{name: "webchat", fail: []error{errors.New("blocked")}}
	x := esc("u1", "c1", "hacked")
	x.Reason = "account_compromised"
	tk := mustEscalate(t, e.svc, x)
	mustEscalate(t, e.svc, x) // the same ticket: not a new one
	mustEscalate(t, e.svc, esc("u2", "c2", "q"))
	e.svc.Reply(ctx, e.admin, tk.ID, "hello", "")
	e.svc.DeliverDue(ctx)
	e.svc.ProtectAccount(ctx, supportbot.Protection{Action: "unfreeze_account", Account: "a", TicketID: tk.ID})
	e.clock.Add(time.Hour) // past urgent's 15 minutes

	got := map[string]float64{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetName() + "=" + l.GetValue()
			}
			if m.Counter != nil {
				got[key] = m.Counter.GetValue()
			} else if m.Gauge != nil {
				got[key] = m.Gauge.GetValue()
			}
		}
	}
	for key, want := range map[string]float64{
		"supportbot_escalation_tickets_opened_total priority=urgent reason=account_compromised": 1,
		"supportbot_escalation_tickets_opened_total priority=normal reason=asked_for_human":     1,
		"supportbot_escalation_open_tickets priority=urgent status=open":                        1,
		"supportbot_escalation_open_tickets priority=normal status=new":                         1,
		"supportbot_escalation_sla_breached_tickets":                                            0, // urgent was answered in time
		"supportbot_escalation_delivery_attempts_total kind=channel result=failed":              1,
		"supportbot_escalation_outbox_pending kind=channel":                                     0,
		"supportbot_escalation_account_actions_total action=not_protective status=refused":      1,
	} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", key, v, ok, want)
		}
	}
}
