import ConfdAgent
import Platform
import RoostClient

/// `roost confd`: keeps configuration files rendered from Roost keys and services.
enum ConfdCommand {
    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        let configuration: ConfdConfiguration
        do {
            configuration = try ConfdConfiguration.load(arguments: words)
        } catch .helpRequested {
            FileOutput.standardOutput.write(ConfdConfiguration.usage + "\n")
            return 0
        } catch {
            throw .usage("confd: \(error)\n" + ConfdConfiguration.usage)
        }
        var endpoints: [Endpoint] = []
        for text in configuration.endpoints { endpoints.append(try Endpoint(parsing: text)) }
        // Block the stop signals before any thread starts, so every thread inherits the
        // mask and only the signalfd sees them.
        let signals: SignalWatcher
        do {
            signals = try SignalWatcher()
        } catch {
            throw .usage("cannot watch signals: \(error)")
        }
        let log = ConfdLog(level: configuration.logLevel) { line in
            FileOutput.standardError.write(line)
        }
        for warning in configuration.warnings { log.warning(warning) }
        let runner: ConfdRunner
        do {
            runner = try ConfdRunner(configuration: configuration, endpoints: endpoints, log: log)
        } catch {
            log.error(error.description)
            return 1
        }
        return runner.run(signals: signals)
    }
}
