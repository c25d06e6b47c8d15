// Command supportbot is an AI support desk: it answers users on web chat,
// Telegram and Discord from a help center, and hands what it cannot
// resolve to human agents as tickets.
//
//	supportbot serve                 run the server (web chat on http://127.0.0.1:8080)
//	supportbot ask "question"        answer one question from the command line
//	supportbot ingest DIR            index a folder of help-center articles
//	supportbot eval DIR [--json]     measure answer quality on DIR/articles + DIR/queries.jsonl
//	supportbot agent add ...         create a console agent (the first admin)
//	supportbot config                print the effective configuration, every default filled in
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // the console's insights count days in any time zone, also where the system has no zone database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(int(ee))
		}
		fmt.Fprintln(os.Stderr, "supportbot:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status after the command has printed
// its own report.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// version describes this build from what the Go toolchain stamped into
// it: the module version (a tag, or "(devel)" for a source build), the
// VCS commit and whether the tree was modified, and the Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "supportbot (no build information)"
	}
	v := "supportbot " + bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + modified
	}
	return v + " " + bi.GoVersion
}

// parseError is what a command returns when its flags do not parse: -h
// (the usage, already printed) ends it with status 0, anything else with
// status 2.
func parseError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return exitError(0)
	}
	return exitError(2)
}

// globalFlags are accepted before the command.
type globalFlags struct {
	config  string
	dataDir string
}

func (g *globalFlags) register(fs *flag.FlagSet) {
	g.config = os.Getenv("SUPPORTBOT_CONFIG")
	g.also(fs)
}

// also accepts the global flags after the command too ("supportbot ask
// --data-dir x ..."), keeping what was given before it as the default.
func (g *globalFlags) also(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", g.config, "YAML configuration file (env SUPPORTBOT_CONFIG)")
	fs.StringVar(&g.dataDir, "data-dir", g.dataDir, "data folder (default ./supportbot-data, or data_dir in the config)")
}

// load reads the configuration with the flags applied, the defaults
// filled in, and validated.
func (g *globalFlags) load() (*Config, error) {
	c, err := loadConfig(g.config, os.Environ())
	if err != nil {
		return nil, err
	}
	if g.dataDir != "" {
		c.DataDir = g.dataDir
		c.Database = ""
	}
	c.setDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

const usage = `supportbot: an AI support desk.

Usage:
  supportbot [--config FILE] [--data-dir DIR] COMMAND [ARGS]

Commands:
  serve              run the server: web chat, help center, agent console, API, connectors
  ask QUESTION       answer one question (--lang, --json)
  ingest DIR         index the help-center articles in DIR (Markdown with front matter)
  eval DIR           measure retrieval and decisions on DIR/articles and DIR/queries.jsonl (--json)
  agent add          create a console agent (--email, --name, --role admin|agent; password on stdin)
  config             print the effective configuration with every default (secrets redacted)
  unanswered         the questions the help center did not answer, most asked first (--days, --json)
  version            print the version: the module version, the commit and the Go version

Run "supportbot COMMAND -h" for a command's flags.
`

// Main runs the command line. Tests call it directly.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var g globalFlags
	fs := flag.NewFlagSet("supportbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitError(2)
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, &g, rest, stdout, stderr)
	case "ask":
		return runAsk(ctx, &g, rest, stdout, stderr)
	case "ingest":
		return runIngest(ctx, &g, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, &g, rest, stdout, stderr)
	case "agent":
		return runAgent(ctx, &g, rest, stdin, stdout, stderr)
	case "config":
		return runConfig(ctx, &g, rest, stdout, stderr)
	case "unanswered":
		return runUnanswered(ctx, &g, rest, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version":
		fmt.Fprintln(stdout, version())
		return nil
	}
	fmt.Fprintf(stderr, "supportbot: unknown command %q\n\n%s", cmd, usage)
	return exitError(2)
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("ask --json question" and "ask question --json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// commandFlags returns the flag set of a command that takes one DIR
// argument, with its usage text.
func commandFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// oneArg parses args (flags anywhere) and returns the single positional
// argument, or exit status 2 after the usage.
func oneArg(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return "", parseError(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", exitError(2)
	}
	return pos[0], nil
}
