package main

// setupDiscord wires the discord component into the app. Owned by the discord
// component's maintainer.
func setupDiscord(app *App) error {
	return nil
}
