// Package supportbot holds the domain types of supportbot, an AI support desk,
// and the interfaces that cross package boundaries. It imports nothing of ours
// and only the standard library, so every other package can depend on it.
//
// A message flows: connector (connectors/...) -> Handler (bot.Service) ->
// Retriever (retrieval) over the help center (knowledge) -> an answer, or an
// escalation into a ticket (escalation) -> a Reply sent back to the channel.
package supportbot
