package corpus

import "fmt"

const sqlHeader = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: 127.0.0.1    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

`

const sqlFooter = `/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-05-31  8:00:00
`

type sqlTable struct {
	name, create string
	row          func(o *out, g *gen, id int)
}

var sqlTables = []sqlTable{
	{"customer", "CREATE TABLE `customer` (\n" +
		"  `id` int NOT NULL AUTO_INCREMENT,\n" +
		"  `real_name` varchar(32) NOT NULL COMMENT '姓名',\n" +
		"  `id_no` char(18) DEFAULT NULL COMMENT '身份证号',\n" +
		"  `mobile` varchar(32) DEFAULT NULL COMMENT '手机号',\n" +
		"  `tel` varchar(32) DEFAULT NULL COMMENT '固定电话',\n" +
		"  `email` varchar(128) DEFAULT NULL,\n" +
		"  `bank_card` varchar(32) DEFAULT NULL COMMENT '银行卡号',\n" +
		"  `address` varchar(255) DEFAULT NULL COMMENT '联系地址',\n" +
		"  `birthday` date DEFAULT NULL COMMENT '出生日期',\n" +
		"  `remark` text COMMENT '备注',\n" +
		"  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,\n" +
		"  PRIMARY KEY (`id`),\n" +
		"  KEY `idx_mobile` (`mobile`)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='客户表';\n",
		func(o *out, g *gen, id int) {
			p := g.person()
			o.raw(fmt.Sprintf("(%d,", id))
			o.sqlString(pii(Name, p.name))
			o.raw(",")
			o.sqlString(g.idPiece(p))
			o.raw(",")
			o.sqlString(g.mobilePiece(p.mobile, true))
			o.raw(",")
			if g.chance(0.5) {
				o.sqlString(g.landlinePiece())
			} else {
				o.raw("NULL")
			}
			o.raw(",")
			o.sqlString(pii(Email, p.email))
			o.raw(",")
			o.sqlString(g.cardPiece(p.card))
			o.raw(",")
			o.sqlString(pii(Address, p.address))
			o.raw(",")
			o.sqlString(pii(BirthDate, p.birth.Format("2006-01-02")))
			o.raw(",")
			if g.chance(0.5) {
				o.sqlString(g.remark(p)...)
			} else {
				o.raw("NULL")
			}
			o.raw(",")
			o.sqlString(g.decoyPiece(KindDateTime))
			o.raw(")")
		}},
	{"orders", "CREATE TABLE `orders` (\n" +
		"  `id` bigint NOT NULL AUTO_INCREMENT,\n" +
		"  `order_no` varchar(32) NOT NULL COMMENT '订单号',\n" +
		"  `customer_id` int NOT NULL,\n" +
		"  `amount` decimal(12,2) NOT NULL,\n" +
		"  `pay_card` varchar(32) DEFAULT NULL COMMENT '支付卡号',\n" +
		"  `client_ip` varchar(64) DEFAULT NULL,\n" +
		"  `trace_id` varchar(64) DEFAULT NULL,\n" +
		"  `plate_no` varchar(16) DEFAULT NULL COMMENT '车牌号',\n" +
		"  `created_ms` bigint NOT NULL,\n" +
		"  PRIMARY KEY (`id`)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='订单';\n",
		func(o *out, g *gen, id int) {
			o.raw(fmt.Sprintf("(%d,", id))
			o.sqlString(g.decoyPiece(KindOrderNumber))
			o.raw(fmt.Sprintf(",%d,%d.%02d,", g.between(1, 99999), g.between(1, 99999), g.n(100)))
			if g.chance(0.2) {
				o.sqlString(g.decoyPiece(KindCardBadLuhn))
			} else {
				o.sqlString(g.cardPiece(g.cardNumber()))
			}
			o.raw(",")
			if g.chance(0.3) {
				o.sqlString(pii(IPv6, g.ipv6()))
			} else {
				o.sqlString(pii(IPv4, g.ipv4()))
			}
			o.raw(",")
			o.sqlString(g.decoyPiece(KindTraceID))
			o.raw(",")
			if g.chance(0.5) {
				o.sqlString(pii(LicensePlate, g.plate()))
			} else {
				o.raw("NULL")
			}
			o.raw(",")
			o.put(g.decoyPiece(KindMsTimestamp), nil)
			o.raw(")")
		}},
	{"medical_record", "CREATE TABLE `medical_record` (\n" +
		"  `id` int NOT NULL AUTO_INCREMENT,\n" +
		"  `patient` varchar(32) NOT NULL COMMENT '患者姓名',\n" +
		"  `diagnosis` varchar(64) DEFAULT NULL COMMENT '诊断',\n" +
		"  `ethnicity` varchar(16) DEFAULT NULL COMMENT '民族',\n" +
		"  `religion` varchar(16) DEFAULT NULL COMMENT '宗教信仰',\n" +
		"  `passport_no` varchar(16) DEFAULT NULL COMMENT '护照号',\n" +
		"  `notes` text,\n" +
		"  PRIMARY KEY (`id`)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='病历';\n",
		func(o *out, g *gen, id int) {
			p := g.person()
			o.raw(fmt.Sprintf("(%d,", id))
			o.sqlString(pii(Name, p.name))
			o.raw(",")
			o.sqlString(pii(Health, pick(g, diseases)))
			o.raw(",")
			o.sqlString(pii(Ethnicity, pick(g, ethnicGroups)))
			o.raw(",")
			if g.chance(0.4) {
				o.sqlString(pii(Religion, pick(g, religions)))
			} else {
				o.raw("NULL")
			}
			o.raw(",")
			if g.chance(0.3) {
				o.sqlString(pii(Passport, g.passport()))
			} else {
				o.raw("NULL")
			}
			o.raw(",")
			o.sqlString(g.remark(p)...)
			o.raw(")")
		}},
}

// writeSQL writes a mysqldump as mysqldump does: per table its CREATE
// TABLE, then extended INSERTs of up to 40 rows until the table's share of
// size (customer half, the others a quarter each).
func writeSQL(o *out, g *gen, size int64) {
	o.raw(sqlHeader)
	start := o.off
	shares := []float64{0.5, 0.75, 1}
	for ti, t := range sqlTables {
		o.raw("--\n-- Table structure for table `" + t.name + "`\n--\n\n")
		o.raw("DROP TABLE IF EXISTS `" + t.name + "`;\n")
		o.raw("/*!40101 SET @saved_cs_client     = @@character_set_client */;\n/*!50503 SET character_set_client = utf8mb4 */;\n")
		o.raw(t.create)
		o.raw("/*!40101 SET character_set_client = @saved_cs_client */;\n\n")
		o.raw("--\n-- Dumping data for table `" + t.name + "`\n--\n\n")
		o.raw("LOCK TABLES `" + t.name + "` WRITE;\n/*!40000 ALTER TABLE `" + t.name + "` DISABLE KEYS */;\n")
		end := start + int64(float64(size-start)*shares[ti])
		id := 0
		for first := true; first || o.off < end; first = false {
			o.raw("INSERT INTO `" + t.name + "` VALUES ")
			for i := range g.between(5, 40) {
				if i > 0 {
					o.raw(",")
				}
				id++
				t.row(o, g, id)
			}
			o.raw(";\n")
		}
		o.raw("/*!40000 ALTER TABLE `" + t.name + "` ENABLE KEYS */;\nUNLOCK TABLES;\n\n")
	}
	o.raw(sqlFooter)
}
