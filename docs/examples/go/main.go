// A department's producer for dixian, in Go with Sarama and the standard library's
// crypto/ed25519: one signed department_risk_alert_pushed event, keyed by its household.
//
//	go run main.go -bootstrap kafka:9092 -key medical_insurance.key \
//	    -source medical_insurance -household 610326101201K1001
//
// Serialize once, sign those bytes, send those bytes (docs/producers.md).
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/Shopify/sarama"
)

// Actor is who did what the event records.
type Actor struct {
	PersonID string `json:"person_id"`
	Role     string `json:"role"`
}

// Envelope is every event's envelope (asyncapi.json, components.schemas).
type Envelope struct {
	EventID       string                 `json:"event_id"`
	EventType     string                 `json:"event_type"`
	SchemaVersion int                    `json:"schema_version"`
	HouseholdID   string                 `json:"household_id"`
	OccurredAt    string                 `json:"occurred_at"`
	RecordedAt    string                 `json:"recorded_at"`
	SourceSystem  string                 `json:"source_system"`
	Actor         Actor                  `json:"actor"`
	Payload       map[string]interface{} `json:"payload"`
}

func newUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		log.Fatal(err)
	}
	b[6] = (b[6] & 0x0f) | 0x40 // version 4
	b[8] = (b[8] & 0x3f) | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func loadKey(path string) ed25519.PrivateKey {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		log.Fatalf("%s is not a PEM file", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes) // `dixian producers keygen` writes PKCS#8
	if err != nil {
		log.Fatal(err)
	}
	private, ok := key.(ed25519.PrivateKey)
	if !ok {
		log.Fatalf("%s is not an Ed25519 key", path)
	}
	return private
}

func main() {
	bootstrap := flag.String("bootstrap", "localhost:9092", "Kafka bootstrap servers")
	keyFile := flag.String("key", "", "the private key from `dixian producers keygen`")
	source := flag.String("source", "medical_insurance", "your source system")
	household := flag.String("household", "", "the household number (户编号)")
	topic := flag.String("topic", "dixian.household-events", "the intake topic")
	flag.Parse()

	china := time.FixedZone("CST", 8*3600)
	now := time.Now().In(china)
	day := now.Format("2006-01-02")
	event := Envelope{
		EventID:       newUUID(), // new for every event: the idempotency key
		EventType:     "department_risk_alert_pushed",
		SchemaVersion: 1,
		HouseholdID:   *household,
		OccurredAt:    day + "T09:00:00+08:00",
		RecordedAt:    now.Format(time.RFC3339),
		SourceSystem:  *source,
		Actor:         Actor{PersonID: *source + "-system", Role: "department_system"},
		Payload: map[string]interface{}{
			"alert_id":      "ALERT-" + newUUID()[:8],
			"department":    *source, // a department reports only as itself
			"risk_type":     "illness",
			"risk_arose_on": day,
			"pushed_on":     day,
			"details":       "hospital costs above the threshold",
		},
	}
	value, err := json.Marshal(event) // serialize once
	if err != nil {
		log.Fatal(err)
	}
	signature := ed25519.Sign(loadKey(*keyFile), value) // sign those bytes

	config := sarama.NewConfig()
	config.Version = sarama.V2_0_0_0 // headers need Kafka 0.11 or later
	config.Producer.RequiredAcks = sarama.WaitForAll
	config.Producer.Return.Successes = true
	config.Producer.Idempotent = true
	config.Net.MaxOpenRequests = 1 // idempotence: one request in flight keeps the order
	config.Producer.Retry.Max = 10
	// A secured cluster: config.Net.TLS.Enable = true; config.Net.SASL.Enable = true;
	// config.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512; User; Password.
	producer, err := sarama.NewSyncProducer(strings.Split(*bootstrap, ","), config)
	if err != nil {
		log.Fatal(err)
	}
	defer producer.Close()
	partition, offset, err := producer.SendMessage(&sarama.ProducerMessage{
		Topic: *topic,
		Key:   sarama.StringEncoder(event.HouseholdID), // the key is the household
		Value: sarama.ByteEncoder(value),               // the very bytes signed
		Headers: []sarama.RecordHeader{
			{Key: []byte("dixian-producer"), Value: []byte(*source)},
			{Key: []byte("dixian-signature"), Value: []byte(base64.StdEncoding.EncodeToString(signature))},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("sent %s to %s[%d]@%d\n", event.EventID, *topic, partition, offset)
}
