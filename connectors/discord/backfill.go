package discord

import (
	"context"
	"sort"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxBackfillPages bounds how much history is read per channel (100
// messages a page) when a session starts.
const maxBackfillPages = 10

// backfill reads back the messages that arrived while the connector had
// no session (a restart, or a session Discord would not resume), in the
// channels it was serving within BackfillWindow, and takes those that are
// for the bot. Messages it had already handled come back as duplicates
// and are not answered twice.
func (c *Connector) backfill(ctx context.Context) {
	since := c.now().Add(-c.cfg.BackfillWindow)
	cursors, err := c.store.Cursors(ctx, since)
	if err != nil {
		c.log.WithError(err).Error("read discord cursors")
		return
	}
	taken := 0
	for _, cur := range cursors {
		if ctx.Err() != nil {
			return
		}
		n, err := c.backfillChannel(ctx, cur, since)
		if err != nil {
			c.log.WithError(err).WithField("conversation_id", cur.ChannelID).Warn("read back discord messages")
		}
		taken += n
	}
	c.m.backfilled.Add(float64(taken))
	if taken > 0 {
		c.log.WithField("messages", taken).Info("discord messages read back after a new session")
	}
}

// backfillChannel reads one channel's messages after its cursor, oldest
// first, and returns how many were taken for handling.
func (c *Connector) backfillChannel(ctx context.Context, cur Cursor, since time.Time) (int, error) {
	ch, err := c.sess.Channel(cur.ChannelID, discordgo.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	if !c.shardOwns(ch.GuildID) {
		return 0, nil
	}
	after, taken := cur.MessageID, 0
	for page := 0; page < maxBackfillPages; page++ {
		msgs, err := c.sess.ChannelMessages(cur.ChannelID, 100, "", after, "", discordgo.WithContext(ctx))
		if err != nil {
			return taken, err
		}
		sort.Slice(msgs, func(a, b int) bool { return snowflakeLess(msgs[a].ID, msgs[b].ID) })
		for _, m := range msgs {
			// History carries no guild id; the channel tells.
			m.GuildID = ch.GuildID
			if m.ChannelID == "" {
				m.ChannelID = cur.ChannelID
			}
			if snowflakeTime(m.ID).Before(since) {
				continue
			}
			if c.receive(m, true) {
				taken++
			}
		}
		if len(msgs) < 100 {
			break
		}
		after = msgs[len(msgs)-1].ID
	}
	return taken, nil
}

// shardOwns reports whether this shard receives a guild's events (DMs go
// to shard 0), so that shards do not read back each other's channels.
func (c *Connector) shardOwns(guildID string) bool {
	if c.cfg.ShardCount <= 1 {
		return true
	}
	if guildID == "" {
		return c.cfg.ShardID == 0
	}
	id, ok := parseSnowflake(guildID)
	return ok && int((id>>22)%uint64(c.cfg.ShardCount)) == c.cfg.ShardID
}
