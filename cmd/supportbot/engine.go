package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/term"
)

// newLogger configures logrus: JSON when stderr is not a terminal (or
// format json), text otherwise.
func newLogger(c LogConfig, out io.Writer) (*logrus.Logger, error) {
	log := logrus.New()
	log.Out = out
	lvl, err := logrus.ParseLevel(c.Level)
	if err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	log.Level = lvl
	jsonOut := strings.EqualFold(c.Format, "json")
	if strings.EqualFold(c.Format, "auto") {
		f, ok := out.(*os.File)
		jsonOut = !ok || !term.IsTerminal(int(f.Fd()))
	}
	if jsonOut {
		log.Formatter = &logrus.JSONFormatter{}
	} else {
		log.Formatter = &logrus.TextFormatter{FullTimestamp: true}
	}
	return log, nil
}
