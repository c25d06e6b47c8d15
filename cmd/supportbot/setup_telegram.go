package main

// setupTelegram wires the telegram component into the app. Owned by the telegram
// component's maintainer.
func setupTelegram(app *App) error {
	return nil
}
