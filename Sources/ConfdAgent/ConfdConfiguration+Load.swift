/// Reading the configuration from the real command line and file system.
extension ConfdConfiguration {
    /// Parses `arguments` (those after `roost confd`), reads the config file, and merges.
    /// The file is `--config-file`, else `<confdir>/confd.toml` (confdir from the flag or
    /// the default). A missing default file is skipped silently, as in confd; a missing
    /// file named with `--config-file` is an error (confd skips it, hiding typos).
    public static func load(
        arguments: [String]
    ) throws(ConfdConfigurationError)
        -> ConfdConfiguration
    {
        let flags = try ConfdSettings(arguments: arguments)
        let directory = flags.confDirectory ?? defaultConfDirectory
        let path = flags.configFile ?? directory + "/confd.toml"
        let bytes: [UInt8]
        do {
            bytes = try ConfdFiles.read(path, bytesMax: TOMLParser.documentBytesMax)
        } catch .notFound where flags.configFile == nil {
            return ConfdConfiguration(flags: flags, file: nil, configFile: nil)
        } catch {
            throw .configFileUnreadable(path: path, reason: error.description)
        }
        let file = try ConfdSettings(configFile: bytes, path: path)
        return ConfdConfiguration(flags: flags, file: file, configFile: path)
    }

    /// `roost confd --help`.
    public static let usage = """
        Usage: roost confd [flags]

        Keeps local configuration files up to date from Roost keys (confd-compatible).

          --confdir DIR          conf.d/*.toml resources and templates/ (default /etc/confd)
          --config-file FILE     settings file (default <confdir>/confd.toml, if present)
          --endpoints URL[,URL]  Roost client URLs (alias --node; default http://127.0.0.1:2379)
          --prefix PREFIX        key prefix; replaces each resource's prefix
          --watch                render on every change to a resource's keys
          --interval SECONDS     render every SECONDS (default 600; 500ms, 2s, 1m also work)
          --onetime              render once and exit (status 1 if any resource failed)
          --wait MIN[:MAX]       in watch mode, render after MIN quiet, at most MAX after the
                                 first change (MAX defaults to 4×MIN), e.g. 0.2 or 2s:10s
          --noop                 render and compare only; never write, check or reload
          --sync-only            write files but run neither check_cmd nor reload_cmd
          --keep-stage-file      keep the .<dest><digits> stage files
          --log-level LEVEL      panic, fatal, error, warn, info (default) or debug

        Flags override confd.toml.
        """
}
