package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/supportbot/supportbot"
)

func testConnector(t *testing.T, cfg Config) *Connector {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = "x"
	}
	c, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRenderButtonsAndEmbeds(t *testing.T) {
	c := testConnector(t, Config{PublicURL: "https://help.example.com"})
	r := supportbot.Reply{
		ID:   "r1",
		Text: "See [Withdrawals](/en/articles/withdraw) and [fees](https://x.example/fees).",
		Citations: []supportbot.Citation{
			{ArticleID: "withdraw", Title: "Withdrawals", URL: "/en/articles/withdraw", Lang: "en"},
			{ArticleID: "withdraw", Title: "Withdrawals", URL: "/en/articles/withdraw", Lang: "en"}, // repeated
			{ArticleID: "fees", Title: "Fees", URL: "javascript:alert(1)", Lang: "en"},
		},
		Actions: []supportbot.Action{
			{Kind: "helpful", Label: "Helpful"}, {Kind: "not_helpful", Label: "Not helpful"},
			{Kind: "human", Label: "Talk to a person"}, {Kind: "unknown", Label: "?"},
		},
	}
	parts := c.render(r, "42")
	if len(parts) != 1 {
		t.Fatalf("got %d parts", len(parts))
	}
	p := parts[0]
	if !strings.Contains(p.Content, "[Withdrawals](https://help.example.com/en/articles/withdraw)") {
		t.Errorf("relative link not made absolute: %q", p.Content)
	}
	if len(p.Embeds) != 2 || p.Embeds[0].URL != "https://help.example.com/en/articles/withdraw" || p.Embeds[1].URL != "" {
		t.Errorf("embeds: %+v %+v", p.Embeds[0], p.Embeds)
	}
	if len(p.Components) != 1 {
		t.Fatalf("got %d rows, want 1", len(p.Components))
	}
	row := p.Components[0].(discordgo.ActionsRow)
	var ids []string
	for _, b := range row.Components {
		ids = append(ids, b.(discordgo.Button).CustomID)
	}
	want := []string{"sb:fy:42:r1", "sb:fn:42:r1", "sb:hu:42"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("custom ids %v, want %v", ids, want)
	}
}

func TestRenderLanguageAndCSATRows(t *testing.T) {
	c := testConnector(t, Config{})
	var acts []supportbot.Action
	for _, l := range supportbot.Languages {
		acts = append(acts, supportbot.Action{Kind: "lang:" + l, Label: supportbot.LanguageNames[l]})
	}
	parts := c.render(supportbot.Reply{Text: "Choose", Actions: acts}, "7")
	if got := len(parts[0].Components); got != 3 { // 11 buttons, 5 a row
		t.Errorf("language buttons in %d rows, want 3", got)
	}
	csat := supportbot.Reply{Text: "Rate", TicketID: "12", Actions: []supportbot.Action{
		{Kind: "csat:1", Label: "★"}, {Kind: "csat:5", Label: "★★★★★"}, {Kind: "csat:9", Label: "bad"}}}
	row := c.render(csat, "7")[0].Components[0].(discordgo.ActionsRow)
	if len(row.Components) != 2 || row.Components[1].(discordgo.Button).CustomID != "sb:cs:7:12:5" {
		t.Errorf("csat row: %+v", row.Components)
	}
	// Without a ticket, a rating cannot be attributed: no buttons.
	csat.TicketID = ""
	if parts := c.render(csat, "7"); len(parts[0].Components) != 0 {
		t.Errorf("csat buttons without a ticket: %+v", parts[0].Components)
	}
	kind, owner, args, ok := parseCustomID("sb:cs:7:12:5")
	if !ok || kind != kindCSAT || owner != "7" || strings.Join(args, ",") != "12,5" {
		t.Errorf("parseCustomID: %q %q %q %v", kind, owner, args, ok)
	}
}

func TestAbsoluteLinksWithoutBase(t *testing.T) {
	got := absoluteLinks("Read [Fees](/en/articles/fees) or [Docs](https://d.example/x).", "")
	if got != "Read Fees or [Docs](https://d.example/x)." {
		t.Errorf("got %q", got)
	}
}

func TestCommandsLocalized(t *testing.T) {
	cmds := applicationCommands()
	if len(cmds) != len(commandOrder) {
		t.Fatalf("got %d commands", len(cmds))
	}
	wantLocales := []discordgo.Locale{discordgo.ChineseCN, discordgo.ChineseTW, discordgo.Japanese, discordgo.Korean,
		discordgo.Russian, discordgo.SpanishES, discordgo.SpanishLATAM, discordgo.Vietnamese, discordgo.Turkish,
		discordgo.PortugueseBR, discordgo.French}
	for _, c := range cmds {
		for _, loc := range wantLocales {
			if (*c.NameLocalizations)[loc] == "" || (*c.DescriptionLocalizations)[loc] == "" {
				t.Errorf("/%s has no %s localization", c.Name, loc)
			}
		}
		for _, o := range c.Options {
			for _, loc := range wantLocales {
				if o.NameLocalizations[loc] == "" || o.DescriptionLocalizations[loc] == "" {
					t.Errorf("/%s %s has no %s localization", c.Name, o.Name, loc)
				}
			}
		}
	}
}

func TestI18nComplete(t *testing.T) {
	for _, l := range supportbot.Languages {
		m, ok := messages[l]
		if !ok {
			t.Errorf("no messages in %s", l)
			continue
		}
		for key, en := range messages["en"] {
			s, ok := m[key]
			if !ok || s == "" {
				t.Errorf("%s: missing %q", l, key)
			}
			if strings.Count(s, "%") != strings.Count(en, "%") {
				t.Errorf("%s: %q has other arguments than English", l, key)
			}
		}
	}
}

func TestTracker(t *testing.T) {
	tr := newTracker()
	tr.begin("c", "10")
	tr.begin("c", "20")
	// 20 finishes first: 10 is still in flight, so the cursor stays
	// before it and a crash would read 10 back.
	if got := tr.end("c", "20"); got != "9" {
		t.Errorf("cursor %s, want 9", got)
	}
	if got := tr.end("c", "10"); got != "20" {
		t.Errorf("cursor %s, want 20", got)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"OK", Config{Token: "t", SupportChannels: []string{"123"}}, true},
		{"ErrNoToken", Config{}, false},
		{"ErrShard", Config{Token: "t", ShardID: 2, ShardCount: 2}, false},
		{"ErrChannelName", Config{Token: "t", SupportChannels: []string{"#support"}}, false},
		{"ErrArchive", Config{Token: "t", ThreadArchiveMinutes: 30}, false},
		{"ErrAPIURL", Config{Token: "t", APIURL: "ftp://x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.SetDefaults()
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
