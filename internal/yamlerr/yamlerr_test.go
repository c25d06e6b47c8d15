package yamlerr

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestLine(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
	}{
		{"id: a\ntitle: b\ntags: [a, b\ncategory: c\n", 3},      // unclosed flow sequence, yaml says 2
		{"id: a\ntitle: b\ntags: [a, b\n", 3},                   // at the end
		{"title: [unclosed\nlanguage: en\n", 1},                 // on the first line
		{"id: a\ntags: {a\ncategory: x\n", 2},                   // unclosed flow mapping, yaml says 1
		{"id: a\ntitle: \"unclosed\nlanguage: en\n", 2},         // unclosed quote: yaml is right
		{"id: a\ntitle: b: c\nlanguage: en\n", 2},               // stray colon: yaml is right
		{"id: a\ntitle: \"two\n  lines\"\ntags: [x\nc: d\n", 4}, // after a quoted string over two lines
		{"id: a\n\ttitle: b\n", 2},                              // a tab
		{"id: a\ntitle: b\ntags: [a, b", 3},                     // no newline at the end
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		if got := Line([]byte(c.doc), err); got != c.line {
			t.Errorf("%q: line %d, want %d (yaml: %v)", c.doc, got, c.line, err)
		}
	}
}
