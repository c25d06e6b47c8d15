// Package knowledge reads help-center articles: Markdown files with YAML
// front matter. It parses and validates them (errors name the file and the
// line), splits them into passages for retrieval, and embeds the built-in
// demo help center.
package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/yamlerr"
)

// MaxArticleBytes bounds one article file; a larger one is rejected rather
// than read into the index.
const MaxArticleBytes = 1 << 20

// ParseError is a problem with one article file, at a line of it.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the problem is the whole file
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// frontMatter mirrors the YAML header. Fields are decoded from a yaml.Node
// so that errors can point at the line of the offending field.
type frontMatter struct {
	ID        string   `yaml:"id"`
	Title     string   `yaml:"title"`
	Language  string   `yaml:"language"`
	Category  string   `yaml:"category"`
	Tags      []string `yaml:"tags"`
	Questions []string `yaml:"questions"`
	Updated   yamlDate `yaml:"updated"`
	URL       string   `yaml:"url"`
}

// yamlDate accepts "2026-11-01" and RFC 3339 timestamps.
type yamlDate struct{ time.Time }

func (d *yamlDate) UnmarshalYAML(n *yaml.Node) error {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, n.Value); err == nil {
			d.Time = t
			return nil
		}
	}
	return fmt.Errorf("%q is not a date (want YYYY-MM-DD)", n.Value)
}

var knownFields = map[string]bool{"id": true, "title": true, "language": true, "category": true, "tags": true,
	"questions": true, "updated": true, "url": true}

// Parse reads one article. name is used in errors. The language must be
// one of supportbot.Languages.
func Parse(name string, data []byte) (*supportbot.Article, error) {
	perr := func(line int, format string, args ...any) error {
		return &ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxArticleBytes {
		return nil, perr(0, "file is larger than the limit of %d bytes (1 MiB)", MaxArticleBytes)
	}
	if !utf8.Valid(data) {
		return nil, perr(invalidUTF8Line(data), "invalid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // BOM from Windows editors
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))

	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, perr(1, "missing front matter: the file must start with a line \"---\"")
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, perr(1, "front matter is not closed: no second line \"---\"")
	}
	header := strings.Join(lines[1:end], "\n")
	body := strings.TrimSpace(strings.Join(lines[end+1:], "\n"))

	// Line numbers in the header are offset by the opening "---".
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(header), &doc); err != nil {
		return nil, perr(yamlerr.Line([]byte(header), err)+1, "front matter: %s", yamlerr.Message(err))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, perr(2, "front matter must be a YAML mapping of fields")
	}
	m := doc.Content[0]
	fieldLine := map[string]int{}
	var fm frontMatter
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + 1
		if !knownFields[k.Value] {
			return nil, perr(line, "unknown field %q", k.Value)
		}
		if first, dup := fieldLine[k.Value]; dup {
			return nil, perr(line, "field %q is given twice (first on line %d)", k.Value, first)
		}
		fieldLine[k.Value] = line
		var err error
		switch k.Value {
		case "id":
			err = v.Decode(&fm.ID)
		case "title":
			err = v.Decode(&fm.Title)
		case "language":
			err = v.Decode(&fm.Language)
		case "category":
			err = v.Decode(&fm.Category)
		case "url":
			err = v.Decode(&fm.URL)
		case "updated":
			err = v.Decode(&fm.Updated)
		case "tags":
			err = decodeStrings(v, &fm.Tags)
		case "questions":
			err = decodeStrings(v, &fm.Questions)
		}
		if err != nil {
			return nil, perr(v.Line+1, "%s: %s", k.Value, yamlerr.Message(err))
		}
	}

	for _, f := range []struct{ name, val string }{
		{"id", fm.ID}, {"title", fm.Title}, {"language", fm.Language}, {"category", fm.Category},
	} {
		if strings.TrimSpace(f.val) == "" {
			line := fieldLine[f.name]
			if line == 0 {
				return nil, perr(1, "missing required field %q", f.name)
			}
			return nil, perr(line, "field %q is empty", f.name)
		}
	}
	if !idPattern.MatchString(fm.ID) {
		return nil, perr(fieldLine["id"], "id %q: use letters, digits, '-', '_' and '.', at most 128", fm.ID)
	}
	lang := supportbot.NormalizeLang(fm.Language)
	if lang == "" {
		return nil, perr(fieldLine["language"], "language %q is not supported (one of %s)",
			fm.Language, strings.Join(supportbot.Languages, ", "))
	}
	if body == "" && len(fm.Questions) == 0 {
		return nil, perr(end+1, "article has neither a body nor questions")
	}
	var qs []string
	for _, q := range fm.Questions {
		if q = strings.TrimSpace(q); q != "" {
			qs = append(qs, q)
		}
	}
	return &supportbot.Article{
		ID:        fm.ID,
		Title:     strings.TrimSpace(fm.Title),
		Lang:      lang,
		Category:  strings.TrimSpace(fm.Category),
		Tags:      fm.Tags,
		Questions: qs,
		Body:      body,
		Updated:   fm.Updated.Time,
		URL:       fm.URL,
		Source:    name,
	}, nil
}

func decodeStrings(n *yaml.Node, dst *[]string) error {
	if n.Kind == yaml.ScalarNode && n.Value == "" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return errors.New("must be a list")
	}
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: list items must be plain strings", c.Line)
		}
		*dst = append(*dst, c.Value)
	}
	return nil
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
