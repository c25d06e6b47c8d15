package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/supportbot/supportbot/retrieval"
)

// syncProgress reports the stages of retrieval's SyncHelpCenter on w: on
// a terminal one bar per stage (embedding counts passages, training the
// cross-validation folds and the final model); elsewhere, with lines, a
// line every 10%, and without, nothing (nil). finish clears the last bar.
func syncProgress(w io.Writer, lines bool) (progress retrieval.Progress, finish func()) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		stage := ""
		progress = func(st string, done, total int) {
			if st != stage {
				if bar != nil {
					bar.Finish()
				}
				stage = st
				unit := "passages"
				if st == retrieval.StageTraining {
					unit = "steps"
				}
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription(fmt.Sprintf("%-9s", st)), progressbar.OptionShowCount(),
					progressbar.OptionSetItsString(unit), progressbar.OptionClearOnFinish(),
					progressbar.OptionThrottle(100*time.Millisecond))
			}
			bar.ChangeMax(total)
			bar.Set(done)
		}
		return progress, func() {
			if bar != nil {
				bar.Finish()
			}
		}
	}
	if !lines {
		return nil, func() {}
	}
	stage, last := "", -1
	return func(st string, done, total int) {
		if st != stage {
			stage, last = st, -1
		}
		if total > 0 && done*10/total != last {
			last = done * 10 / total
			fmt.Fprintf(w, "%s: %d/%d\n", st, done, total)
		}
	}, func() {}
}
