package bot

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Counts are the bot's decisions on users' questions. Small talk, ticket
// status, refused input and agents' replies are not questions and are not
// counted.
type Counts struct {
	Answered  int `json:"answered"`
	Clarified int `json:"clarified"`
	Escalated int `json:"escalated"`
}

// Questions is the number of questions decided.
func (c Counts) Questions() int { return c.Answered + c.Clarified + c.Escalated }

// AnswerRate is the share of questions the bot answered itself, 0 with
// none.
func (c Counts) AnswerRate() float64 {
	if q := c.Questions(); q > 0 {
		return float64(c.Answered) / float64(q)
	}
	return 0
}

func (c *Counts) add(decision string, n int) {
	switch supportbot.Decision(decision) {
	case supportbot.DecisionAnswer:
		c.Answered += n
	case supportbot.DecisionClarify:
		c.Clarified += n
	case supportbot.DecisionEscalate:
		c.Escalated += n
	}
}

// DayCounts are one calendar day's counts.
type DayCounts struct {
	Day time.Time `json:"day"` // midnight, in the time zone asked for
	Counts
}

// KeyCount is a count under a key: a language, a channel, an escalation
// reason or an article ID.
type KeyCount struct {
	Key string `json:"key"`
	Counts
}

// Activity is what the bot did over a period: the console's insights page
// and, later, reports are drawn from it.
type Activity struct {
	Since time.Time `json:"since"`
	Total Counts    `json:"total"`
	// Days has one entry per calendar day from Since's day to today's, in
	// Since's time zone, oldest first, days without questions included (a
	// chart's x axis).
	Days       []DayCounts `json:"days"`
	ByLanguage []KeyCount  `json:"by_language"` // most questions first
	ByChannel  []KeyCount  `json:"by_channel"`  // most questions first
	// Reasons counts escalations by reason ("low_confidence",
	// "asked_for_human", "account_compromised", ...), in Escalated.
	Reasons []KeyCount `json:"reasons"`
	// Articles counts answers by the article answered from (the first
	// citation), in Answered, at most topArticles of them.
	Articles []KeyCount `json:"articles"`
	// Helpful and Unhelpful count users' ratings of answers.
	Helpful   int `json:"helpful"`
	Unhelpful int `json:"unhelpful"`
}

// HelpfulRate is the share of ratings that were helpful, 0 with none.
func (a Activity) HelpfulRate() float64 {
	if n := a.Helpful + a.Unhelpful; n > 0 {
		return float64(a.Helpful) / float64(n)
	}
	return 0
}

const (
	dayMillis   = int64(24 * time.Hour / time.Millisecond)
	topArticles = 10
)

// Activity sums the bot's decisions since a time. The database does the
// grouping (integer division buckets days the same way in SQLite and
// PostgreSQL), so what reaches Go is a row per day, channel, language and
// decision, not per message; the database still reads every turn of the
// period (BenchmarkActivity: 0.6 s for 100,000 questions on SQLite).
//
// Days are calendar days in since's time zone. The database buckets
// (created_at + offset) / day for each stretch of the period over which
// the zone's offset from UTC is constant: one stretch, or two or three
// across daylight-saving changes.
func (s *Store) Activity(ctx context.Context, since time.Time) (Activity, error) {
	loc := since.Location()
	a := Activity{Since: since}
	index := map[string]int{} // local date -> index in Days
	today := s.now().In(loc).Format(time.DateOnly)
	for d := since; ; d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc) {
		key := d.Format(time.DateOnly)
		if key > today {
			break
		}
		index[key] = len(a.Days)
		a.Days = append(a.Days, DayCounts{Day: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)})
	}
	langs, channels := map[string]*Counts{}, map[string]*Counts{}
	for from := since; ; {
		_, offset := from.Zone()
		_, next := from.ZoneBounds()
		until := int64(math.MaxInt64) // the last stretch is open: a replica's clock may run ahead
		if !next.IsZero() && next.Before(s.now()) {
			until = sqldb.Millis(next)
		}
		day := "(created_at + " + strconv.Itoa(offset*1000) + ") / " + strconv.FormatInt(dayMillis, 10)
		err := s.each(ctx, `SELECT `+day+`, channel, lang, decision, COUNT(*) FROM bot_turns
			WHERE role = 'bot' AND created_at >= ? AND created_at < ? AND decision IN ('answer', 'clarify', 'escalate')
			GROUP BY `+day+`, channel, lang, decision`, []any{sqldb.Millis(from), until}, func(scan func(...any) error) error {
			var day int64
			var channel, lang, decision string
			var n int
			if err := scan(&day, &channel, &lang, &decision, &n); err != nil {
				return err
			}
			a.Total.add(decision, n)
			if i, ok := index[time.UnixMilli(day*dayMillis).UTC().Format(time.DateOnly)]; ok {
				a.Days[i].add(decision, n)
			}
			counter(langs, lang).add(decision, n)
			counter(channels, channel).add(decision, n)
			return nil
		})
		if err != nil {
			return a, err
		}
		if until == math.MaxInt64 {
			break
		}
		from = next.In(loc)
	}
	a.ByLanguage, a.ByChannel = sorted(langs), sorted(channels)

	reasons, articles := map[string]*Counts{}, map[string]*Counts{}
	err := s.each(ctx, `SELECT decision, reason, article_ids, COUNT(*) FROM bot_turns
		WHERE role = 'bot' AND created_at >= ? AND decision IN ('answer', 'escalate')
		GROUP BY decision, reason, article_ids`, []any{sqldb.Millis(since)}, func(scan func(...any) error) error {
		var decision, reason, ids string
		var n int
		if err := scan(&decision, &reason, &ids, &n); err != nil {
			return err
		}
		if decision == string(supportbot.DecisionEscalate) {
			counter(reasons, reason).add(decision, n)
		} else if id, _, _ := strings.Cut(ids, ","); id != "" {
			counter(articles, id).add(decision, n)
		}
		return nil
	})
	if err != nil {
		return a, err
	}
	a.Reasons, a.Articles = sorted(reasons), sorted(articles)
	if len(a.Articles) > topArticles {
		a.Articles = a.Articles[:topArticles]
	}
	err = s.each(ctx, `SELECT helpful, COUNT(*) FROM bot_feedback WHERE created_at >= ? GROUP BY helpful`,
		[]any{sqldb.Millis(since)}, func(scan func(...any) error) error {
			var helpful, n int
			if err := scan(&helpful, &n); err != nil {
				return err
			}
			if helpful != 0 {
				a.Helpful += n
			} else {
				a.Unhelpful += n
			}
			return nil
		})
	return a, err
}

// each runs a query and calls row for every row.
func (s *Store) each(ctx context.Context, q string, args []any, row func(scan func(...any) error) error) error {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func counter(m map[string]*Counts, key string) *Counts {
	c := m[key]
	if c == nil {
		c = &Counts{}
		m[key] = c
	}
	return c
}

// sorted returns m's counts, most questions first, then by key.
func sorted(m map[string]*Counts) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for k, c := range m {
		out = append(out, KeyCount{Key: k, Counts: *c})
	}
	slices.SortFunc(out, func(a, b KeyCount) int {
		if d := b.Questions() - a.Questions(); d != 0 {
			return d
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}
