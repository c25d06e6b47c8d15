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

Run "supportbot COMMAND --help" (or "supportbot help COMMAND") for a command's flags.
`

// Main runs the command line. Tests call it directly.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var g globalFlags
	fs := flag.NewFlagSet("supportbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the usage goes to stdout or stderr, decided below
	g.register(fs)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return nil
	case err != nil:
		fmt.Fprintf(stderr, "supportbot: %v\n\n%s", err, usage)
		return exitError(2)
	case fs.NArg() == 0:
		fmt.Fprintf(stderr, "supportbot: missing COMMAND\n\n%s", usage)
		return exitError(2)
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	err = runCommand(ctx, &g, cmd, rest, stdin, stdout, stderr)
	var help helpRequested
	if errors.As(err, &help) {
		help.fs.SetOutput(stdout)
		help.fs.Usage()
		return nil
	}
	return err
}

func runCommand(ctx context.Context, g *globalFlags, cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch cmd {
	case "serve":
		return runServe(ctx, g, args, stdout, stderr)
	case "ask":
		return runAsk(ctx, g, args, stdout, stderr)
	case "ingest":
		return runIngest(ctx, g, args, stdout, stderr)
	case "eval":
		return runEval(ctx, g, args, stdout, stderr)
	case "agent":
		return runAgent(ctx, g, args, stdin, stdout, stderr)
	case "config":
		return runConfig(ctx, g, args, stdout, stderr)
	case "unanswered":
		return runUnanswered(ctx, g, args, stdout, stderr)
	case "help":
		// "supportbot help ask" is "supportbot ask --help".
		switch len(args) {
		case 0:
			fmt.Fprint(stdout, usage)
			return nil
		case 1:
			return Main(ctx, []string{args[0], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "supportbot help: unexpected argument %q\n\n%s", args[1], usage)
		return exitError(2)
	case "version":
		fs := commandFlags("version", "usage: supportbot version\n\nPrints the version: the module version, the commit and the Go version.", stderr)
		if err := noArgs(fs, args); err != nil {
			return err
		}
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

// commandFlags returns the flag set of a command. usage is its usage
// line, a blank line and a sentence saying what the command does (and,
// if need be, more paragraphs): every command prints it, then its flags,
// the same way. Asked for (-h, --help), that goes to stdout and the
// command succeeds (helpRequested); after a mistake, to stderr under a
// line saying what is wrong (usageError).
func commandFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// helpRequested is what a command returns when asked for its usage (-h,
// --help): Main prints the usage on stdout, where help that was asked for
// belongs ("supportbot ask --help | less"), and exits with status 0.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string { return "help requested" }

// usageError prints what is wrong and the command's usage on stderr, and
// ends the program with status 2.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "supportbot %s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitError(2)
}

// parseArgs parses the flags of a command made by commandFlags, anywhere
// among its positional arguments, and returns those arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	// The flag package prints the usage for -h itself, and its errors
	// without the command's name: silence it, and print both here.
	out := fs.Output()
	fs.SetOutput(io.Discard)
	pos, err := parseInterspersed(fs, args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, helpRequested{fs}
	case err != nil:
		return nil, usageError(fs, "%v", err)
	}
	return pos, nil
}

// noArgs parses the flags of a command that takes no positional
// argument, and rejects any.
func noArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err == nil && len(pos) > 0 {
		return usageError(fs, "unexpected argument %q", pos[0])
	}
	return err
}

// oneArg parses the flags of a command that takes one DIR argument, and
// returns it.
func oneArg(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parseArgs(fs, args)
	switch {
	case err != nil:
		return "", err
	case len(pos) == 0:
		return "", usageError(fs, "missing DIR")
	case len(pos) > 1:
		return "", usageError(fs, "unexpected argument %q", pos[1])
	}
	return pos[0], nil
}
