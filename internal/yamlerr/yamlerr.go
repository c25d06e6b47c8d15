// Package yamlerr finds the line a YAML syntax error is on, for error
// messages that send people to it.
package yamlerr

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var lineRe = regexp.MustCompile(`line (\d+):?\s*`)

// Line returns the 1-based line of data where err, the error
// yaml.Unmarshal returned for data, is.
//
// yaml.v3 names the wrong line for some errors: for one inside a flow
// collection ("tags: [a, b" never closed) it reports the line where the
// collection starts counted from 0, which reads as the line before. So
// Line looks for the first line at which the document, cut after it,
// fails with the same error, starting a line before yaml's and going
// down; yaml's line is the answer when none does. That costs a parse or
// two of the start of the file, and only when it is broken.
func Line(data []byte, err error) int {
	reported := 1
	if m := lineRe.FindStringSubmatch(err.Error()); m != nil {
		reported, _ = strconv.Atoi(m[1])
	}
	want := Message(err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	var n yaml.Node
	for k := max(1, reported-1); k <= len(lines) && k <= reported+1; k++ {
		if e := yaml.Unmarshal([]byte(strings.Join(lines[:k], "")), &n); e != nil && Message(e) == want {
			return k
		}
	}
	return reported
}

// Message is err's text without yaml's prefixes and line numbers, for a
// message that names the line itself.
func Message(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	return lineRe.ReplaceAllString(s, "")
}
