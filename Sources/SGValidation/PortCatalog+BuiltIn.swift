import SGModel

// The built-in catalog is the union of the lists security teams already audit against, so a
// finding here is never news to an auditor using those tools:
// - AWS Security Hub control EC2.19 ("security groups should not allow unrestricted access to
//   ports with high risk"),
// - AWS Trusted Advisor's "Security Groups - Specific Ports Unrestricted" red list,
// - Prowler's ec2_securitygroup_allow_ingress_from_internet_to_* checks,
// - the seed guide (sg-provisioner-security-guidelines.txt: 5439, 8443, 9090),
// - and common service ports ("common") that attackers scan for.
// The category, not the list, decides severity; the sources are kept for reports and SARIF help.

extension PortCatalog {
    /// The built-in catalog (see the file comment for where each entry comes from).
    public static let builtIn = PortCatalog(entries: builtInEntries)

    private static func entry(
        _ lower: Int, _ upper: Int? = nil, _ protocols: PortProtocols = .tcp, _ name: String,
        _ category: PortCategory, _ sources: [String]
    ) -> PortCatalogEntry {
        PortCatalogEntry(ports: PortRange(lower, upper ?? lower), protocols: protocols, name: name, category: category, sources: sources)
    }

    static let builtInEntries: [PortCatalogEntry] = [
        // Data stores: CRITICAL from the world.
        entry(1433, nil, .tcp, "Microsoft SQL Server", .database, ["EC2.19", "TrustedAdvisor", "Prowler", "seed"]),
        entry(1434, nil, .both, "Microsoft SQL Server Browser", .database, ["EC2.19", "TrustedAdvisor", "Prowler"]),
        entry(1521, nil, .tcp, "Oracle Database", .database, ["Prowler", "seed"]),
        entry(2483, nil, .both, "Oracle Database listener", .database, ["Prowler"]),
        entry(2484, nil, .both, "Oracle Database listener (TLS)", .database, ["Prowler", "common"]),
        entry(2379, 2380, .tcp, "etcd", .database, ["common"]),
        entry(3306, nil, .tcp, "MySQL/MariaDB", .database, ["EC2.19", "TrustedAdvisor", "Prowler", "seed"]),
        entry(4333, nil, .tcp, "mSQL", .database, ["EC2.19", "TrustedAdvisor"]),
        entry(5432, nil, .tcp, "PostgreSQL", .database, ["EC2.19", "TrustedAdvisor", "Prowler", "seed"]),
        entry(5439, nil, .tcp, "Amazon Redshift", .database, ["seed"]),
        entry(5984, nil, .tcp, "CouchDB", .database, ["common"]),
        entry(6379, nil, .tcp, "Redis", .database, ["Prowler"]),
        entry(6380, nil, .tcp, "Redis (TLS)", .database, ["common"]),
        entry(7000, 7001, .tcp, "Cassandra inter-node", .database, ["common"]),
        entry(8086, nil, .tcp, "InfluxDB", .database, ["common"]),
        entry(9042, nil, .tcp, "Cassandra CQL", .database, ["common"]),
        entry(9160, nil, .tcp, "Cassandra Thrift", .database, ["Prowler"]),
        entry(9200, nil, .tcp, "Elasticsearch/OpenSearch HTTP", .database, ["EC2.19", "Prowler"]),
        entry(9300, nil, .tcp, "Elasticsearch transport", .database, ["EC2.19", "Prowler"]),
        entry(11211, nil, .both, "Memcached", .database, ["Prowler"]),
        entry(11214, 11215, .tcp, "Memcached (TLS)", .database, ["common"]),
        entry(27017, nil, .tcp, "MongoDB", .database, ["Prowler", "seed"]),
        entry(27018, nil, .tcp, "MongoDB shard", .database, ["Prowler"]),
        entry(50000, nil, .tcp, "IBM Db2", .database, ["common"]),

        // Remote administration and control planes: HIGH.
        entry(22, nil, .tcp, "SSH", .admin, ["EC2.19", "Prowler", "seed"]),
        entry(23, nil, .tcp, "Telnet", .admin, ["EC2.19", "Prowler"]),
        entry(135, nil, .tcp, "Microsoft RPC", .admin, ["EC2.19"]),
        entry(161, 162, .udp, "SNMP", .admin, ["common"]),
        entry(445, nil, .tcp, "SMB/CIFS", .admin, ["EC2.19"]),
        entry(2375, 2376, .tcp, "Docker Engine API", .admin, ["common"]),
        entry(3389, nil, .both, "RDP", .admin, ["EC2.19", "TrustedAdvisor", "Prowler", "seed"]),
        entry(5500, nil, .tcp, "Oracle EM Express / VNC HTTP", .admin, ["EC2.19", "TrustedAdvisor"]),
        entry(5900, nil, .tcp, "VNC", .admin, ["common"]),
        entry(5985, 5986, .tcp, "WinRM", .admin, ["common"]),
        entry(6443, nil, .tcp, "Kubernetes API server", .admin, ["common"]),
        entry(7199, nil, .tcp, "Cassandra JMX", .admin, ["Prowler"]),
        entry(8500, nil, .tcp, "Consul HTTP API", .admin, ["common"]),
        entry(10250, nil, .tcp, "Kubernetes kubelet API", .admin, ["common"]),
        entry(15672, nil, .tcp, "RabbitMQ management", .admin, ["common"]),

        // Application and middleware listeners: HIGH.
        entry(3000, nil, .tcp, "development servers / Grafana", .application, ["EC2.19", "common"]),
        entry(4369, nil, .tcp, "Erlang port mapper (RabbitMQ)", .application, ["common"]),
        entry(5000, nil, .tcp, "Flask / Docker registry", .application, ["EC2.19"]),
        entry(5601, nil, .tcp, "Kibana", .application, ["EC2.19", "Prowler"]),
        entry(5672, nil, .tcp, "AMQP (RabbitMQ)", .application, ["common"]),
        entry(8000, nil, .tcp, "HTTP alternate (8000)", .application, ["common"]),
        entry(8080, nil, .tcp, "HTTP alternate (8080)", .application, ["EC2.19", "seed"]),
        entry(8081, nil, .tcp, "HTTP alternate (8081)", .application, ["common"]),
        entry(8088, nil, .tcp, "Hadoop YARN / HTTP alternate", .application, ["EC2.19"]),
        entry(8200, nil, .tcp, "HashiCorp Vault", .application, ["common"]),
        entry(8443, nil, .tcp, "HTTPS alternate (8443)", .application, ["seed"]),
        entry(8888, nil, .tcp, "Jupyter / HTTP alternate", .application, ["EC2.19"]),
        entry(9000, nil, .tcp, "PHP-FPM / SonarQube / MinIO", .application, ["common"]),
        entry(9090, nil, .tcp, "Prometheus / web consoles", .application, ["seed"]),
        entry(9092, nil, .tcp, "Kafka", .application, ["Prowler"]),
        entry(9100, nil, .tcp, "Prometheus node exporter", .application, ["common"]),

        // Other known services: HIGH from the world, like any non-web port.
        entry(20, 21, .tcp, "FTP", .other, ["EC2.19", "TrustedAdvisor", "Prowler"]),
        entry(25, nil, .tcp, "SMTP", .other, ["EC2.19"]),
        entry(53, nil, .both, "DNS", .other, ["common"]),
        entry(110, nil, .tcp, "POP3", .other, ["EC2.19"]),
        entry(123, nil, .udp, "NTP", .other, ["common"]),
        entry(143, nil, .tcp, "IMAP", .other, ["EC2.19"]),
        entry(389, nil, .both, "LDAP", .other, ["common"]),
        entry(636, nil, .tcp, "LDAPS", .other, ["common"]),
        entry(873, nil, .tcp, "rsync", .other, ["common"]),
        entry(1080, nil, .tcp, "SOCKS proxy", .other, ["common"]),
        entry(1194, nil, .both, "OpenVPN", .other, ["common"]),
        entry(3128, nil, .tcp, "HTTP proxy (Squid)", .other, ["common"]),
        entry(9418, nil, .tcp, "Git protocol", .other, ["common"]),

        // Web: the only ports the guide accepts from the world, and only on public tiers.
        entry(80, nil, .tcp, "HTTP", .web, ["seed"]),
        entry(443, nil, .tcp, "HTTPS", .web, ["seed"]),
    ]
}
